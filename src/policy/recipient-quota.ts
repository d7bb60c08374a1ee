import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { PolicyError } from '../errors/policy-error.js';
import { stateFailure } from '../errors/fail-closed.js';
import { ErrorCode } from '../error-codes.js';

export interface RecipientQuotaOptions {
  /** 0 disables. */
  readonly perMinute: number;
  /** 0 disables. */
  readonly perDay: number;
}

/** How many recipients one caller may send to per minute and per day. */
export interface RecipientQuota {
  /**
   * Takes `recipients` from every window, or throws having taken nothing: RATE_LIMITED (with a true
   * `retryAfterSeconds`) when a window is used up, QUOTA_EXCEEDED when the batch is larger than a window.
   */
  consume(callerKey: string, recipients: number): Promise<void>;
  /** Gives back what a send that provably never reached SMN took. */
  refund(callerKey: string, recipients: number): Promise<void>;
}

interface Window {
  readonly name: string;
  readonly limit: number;
  readonly limiter: RateLimiterAbstract;
}

/**
 * Per-caller recipient quotas with rate-limiter-flexible (memory store in one process; its Redis
 * store takes the same limiters when state is shared).
 */
export function createRecipientQuota(
  options: RecipientQuotaOptions,
  makeLimiter: (points: number, durationSeconds: number, keyPrefix: string) => RateLimiterAbstract = (
    points,
    duration,
    keyPrefix,
  ) => new RateLimiterMemory({ points, duration, keyPrefix }),
): RecipientQuota {
  const windows: Window[] = [
    { name: 'minute', limit: options.perMinute, seconds: 60 },
    { name: 'day', limit: options.perDay, seconds: 86_400 },
  ]
    .filter((window) => window.limit > 0)
    .map((window) => ({
      name: window.name,
      limit: window.limit,
      limiter: makeLimiter(window.limit, window.seconds, `quota-recipients-${window.name}`),
    }));

  /** Best effort: a refund that cannot reach the counters must not replace the refusal being reported. */
  const refund = async (key: string, recipients: number, from: readonly Window[]) => {
    await Promise.all(from.map((window) => window.limiter.reward(key, recipients))).catch(() => undefined);
  };

  return {
    async consume(key, recipients) {
      const taken: Window[] = [];
      for (const window of windows) {
        if (recipients > window.limit) {
          await refund(key, recipients, taken);
          // No wait makes it pass: a code of its own, without a retryAfterSeconds that would be false.
          throw new PolicyError(
            ErrorCode.QUOTA_EXCEEDED,
            `This batch of ${recipients} recipients exceeds the whole per-${window.name} quota of ${window.limit}: split it.`,
            { limit: 'quota', maxRecipients: window.limit },
          );
        }
        try {
          await window.limiter.consume(key, recipients);
          taken.push(window);
        } catch (rejection) {
          if (!(rejection instanceof RateLimiterRes)) {
            await refund(key, recipients, taken);
            // The counters are out of reach: no quota guarantee, so no send (fail closed).
            throw stateFailure(rejection);
          }
          // A refused consume still counted its points: give them back, and what earlier windows took.
          await refund(key, recipients, [...taken, window]);
          throw new PolicyError(
            ErrorCode.RATE_LIMITED,
            `Recipient quota exceeded: at most ${window.limit} recipients per ${window.name} for this caller.`,
            { retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), limit: 'quota' },
          );
        }
      }
    },
    refund: (key, recipients) => refund(key, recipients, windows),
  };
}
