import PQueue from 'p-queue';
import type { SmnCatalogPort, SmnPromotionPort } from './client.js';
import { PolicyError } from '../errors/policy-error.js';
import { ErrorCode } from '../error-codes.js';
import { activeContext, runIn, tracer } from '../observability/tracing.js';

export interface OutboundGateOptions {
  /** SMN's API gateway throttles at about 200 calls/s per API; stay under it. */
  readonly callsPerSecond: number;
  readonly concurrentCalls: number;
  /** Calls allowed to wait; one more fails fast. */
  readonly queuedCalls: number;
  /** Longest a call may wait for its turn before failing (it is then never sent). */
  readonly queueTimeoutMs: number;
}

function busy(message: string): PolicyError {
  return new PolicyError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds: 1, limit: 'outbound' });
}

/**
 * Paces calls toward SMN for this process: at most `callsPerSecond` started per second and
 * `concurrentCalls` in flight. A burst waits briefly in a bounded queue, or fails fast with
 * RATE_LIMITED, instead of earning 429s. A call that has started is never abandoned by the gate.
 */
export interface OutboundGate extends SmnPromotionPort {
  /** The longest a call through the gate can take: the longest wait for a slot, then the call itself. */
  readonly maxCallMs: number;
  /** Any other SMN call (the catalog reads), paced with the sends and refused the same way. */
  through<T>(call: () => Promise<T>): Promise<T>;
}

export function createOutboundGate(
  port: SmnPromotionPort & { readonly maxCallMs: number },
  options: OutboundGateOptions,
): OutboundGate {
  const queue = new PQueue({
    concurrency: options.concurrentCalls,
    intervalCap: options.callsPerSecond,
    interval: 1000,
  });
  const through = async <T>(call: () => Promise<T>): Promise<T> => {
    if (queue.size >= options.queuedCalls) {
      throw busy('Too many SMN calls are waiting; try again in a moment.');
    }
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), options.queueTimeoutMs);
    const waiting = tracer().startSpan('smn.queue_wait');
    const parent = activeContext();
    try {
      return await queue.add(
        () => {
          // From here the call is SMN's: the signal must not be able to abort it any more.
          clearTimeout(timer);
          waiting.end();
          return runIn(parent, call);
        },
        { signal: controller.signal },
      );
    } catch (error) {
      if (waiting.isRecording()) waiting.end();
      if (controller.signal.aborted) {
        throw busy(`No SMN call slot within ${options.queueTimeoutMs} ms; nothing was sent.`);
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    maxCallMs: options.queueTimeoutMs + port.maxCallMs,
    publishPromotion: (request, context) => through(() => port.publishPromotion(request, context)),
    through,
  };
}

/** SMN's template and signature reads through the gate: they share its calls per second and slots. */
export function gatedCatalog(gate: Pick<OutboundGate, 'through'>, port: SmnCatalogPort): SmnCatalogPort {
  return {
    templates: (query) => gate.through(() => port.templates(query)),
    template: (id) => gate.through(() => port.template(id)),
    signs: () => gate.through(() => port.signs()),
  };
}
