import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { PolicyError } from '../errors/policy-error.js';
import { stateFailure } from '../errors/fail-closed.js';
import { ErrorCode } from '../error-codes.js';

/**
 * How many SMN calls one caller's catalog reads (templates, one template, signatures) may make per
 * minute: cache hits are free, each call that would reach SMN takes one. 0 disables. Returns the
 * check to run before such a call; it throws RATE_LIMITED (with the true retryAfterSeconds) having
 * taken nothing, or STATE_UNAVAILABLE when the shared counters are out of reach.
 */
export function createCatalogReadLimit(
  perMinute: number,
  makeLimiter: (points: number, durationSeconds: number, keyPrefix: string) => RateLimiterAbstract = (
    points,
    duration,
    keyPrefix,
  ) => new RateLimiterMemory({ points, duration, keyPrefix }),
): (callerKey: string) => Promise<void> {
  if (perMinute <= 0) return () => Promise.resolve();
  const limiter = makeLimiter(perMinute, 60, 'quota-catalog-reads-minute');
  return async (callerKey) => {
    try {
      await limiter.consume(callerKey, 1);
    } catch (rejection) {
      // The counters are out of reach: no limit guarantee, so no SMN call (fail closed).
      if (!(rejection instanceof RateLimiterRes)) throw stateFailure(rejection);
      // A refused consume still counted its point: give it back, so retrying early never pushes the wait out.
      await limiter.reward(callerKey, 1).catch(() => undefined);
      throw new PolicyError(
        ErrorCode.RATE_LIMITED,
        `Catalog read limit reached: at most ${perMinute} SMN catalog reads per minute for this caller ` +
          '(answers SMN already gave are served from the cache and do not count). Nothing was read.',
        { retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), limit: 'quota' },
      );
    }
  };
}
