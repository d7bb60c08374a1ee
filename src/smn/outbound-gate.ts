import PQueue from 'p-queue';
import type { SmnCatalogPort, SmnPromotionPort } from './client.js';
import { PolicyError } from '../errors/policy-error.js';
import { stateUnavailable } from '../errors/fail-closed.js';
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
  /**
   * A calls-per-second limit all replicas share (Redis), taken after the call's slot here and within
   * `queueTimeoutMs`; without it, `callsPerSecond` is this process's alone.
   */
  readonly sharedCallRate?: SharedCallRate | undefined;
}

/** A limit on calls toward SMN that every replica takes from, one point per call. */
export interface SharedCallRate {
  /**
   * Takes one call's point: resolves 0 to go now, else the milliseconds until a point may be free
   * (nothing was taken). Rejects when the store cannot answer.
   */
  take(): Promise<number>;
}

function busy(message: string): PolicyError {
  return new PolicyError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds: 1, limit: 'outbound' });
}

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Waits for a point of the shared limit until `signal` aborts (the call's wait is over: it is then
 * refused by the caller, never sent). A store that fails refuses the call: without the shared limit,
 * replicas together could exceed SMN's throttle (fail closed).
 */
async function takeShared(shared: SharedCallRate, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    let waitMs: number;
    try {
      waitMs = await shared.take();
    } catch (error) {
      throw stateUnavailable(
        error,
        'The shared SMN call limit is unavailable, so nothing was sent; try again shortly.',
      );
    }
    if (waitMs <= 0) return;
    await pause(waitMs, signal);
  }
}

/**
 * Paces calls toward SMN: at most `callsPerSecond` started per second (shared by every replica when
 * `sharedCallRate` is set, else for this process) and `concurrentCalls` in flight in this process. A
 * burst waits briefly in a bounded queue, or fails fast with RATE_LIMITED, instead of earning 429s. A
 * call that has started is never abandoned by the gate.
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
  // With a shared limit, intervalCap stays as this process's ceiling; the shared limit is the one that binds.
  const queue = new PQueue({
    concurrency: options.concurrentCalls,
    intervalCap: options.callsPerSecond,
    interval: 1000,
  });
  const timedOut = () => busy(`No SMN call slot within ${options.queueTimeoutMs} ms; nothing was sent.`);
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
        async () => {
          const { sharedCallRate } = options;
          if (sharedCallRate) await takeShared(sharedCallRate, controller.signal);
          // The wait ran out while the point was taken: the caller is refused, so the call is never made.
          if (controller.signal.aborted) throw timedOut();
          // From here the call is SMN's: the signal must not be able to abort it any more.
          clearTimeout(timer);
          waiting.end();
          return runIn(parent, call);
        },
        { signal: controller.signal },
      );
    } catch (error) {
      if (waiting.isRecording()) waiting.end();
      if (controller.signal.aborted) throw timedOut();
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
