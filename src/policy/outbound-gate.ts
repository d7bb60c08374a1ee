import PQueue from 'p-queue';
import type { SmnPromotionPort } from '../smn/client.js';
import { PolicyError } from './policy-error.js';
import { ErrorCode } from '../error-codes.js';

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
export function createOutboundGate(port: SmnPromotionPort, options: OutboundGateOptions): SmnPromotionPort {
  const queue = new PQueue({
    concurrency: options.concurrentCalls,
    intervalCap: options.callsPerSecond,
    interval: 1000,
  });
  return {
    async publishPromotion(request, context) {
      if (queue.size >= options.queuedCalls) {
        throw busy('Too many SMN calls are waiting; try again in a moment.');
      }
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), options.queueTimeoutMs);
      try {
        return await queue.add(
          () => {
            // From here the call is SMN's: the signal must not be able to abort it any more.
            clearTimeout(timer);
            return port.publishPromotion(request, context);
          },
          { signal: controller.signal },
        );
      } catch (error) {
        if (controller.signal.aborted) {
          throw busy(`No SMN call slot within ${options.queueTimeoutMs} ms; nothing was sent.`);
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
