import type { RetryOptions } from 'got';
import { provablyNotSent } from './transport-errors.js';

/** How the SMN client retries: only a POST that provably never left, with exponential backoff. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly limit: number;
  /** The wait before the first retry; each later one doubles it. */
  readonly baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { limit: 2, baseDelayMs: 200 };

/** Connection failures got may retry; whether it does is decided per error by provablyNotSent. */
const RETRIED_CODES = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ETIMEDOUT'];

/** The wait before retry number `retry` (1-based). */
export function backoffMs(policy: RetryPolicy, retry: number): number {
  return policy.baseDelayMs * 2 ** (retry - 1);
}

/** The longest one call can take: every attempt running into `attemptTimeoutMs`, plus every wait. */
export function maxCallMs(policy: RetryPolicy, attemptTimeoutMs: number): number {
  let total = (policy.limit + 1) * attemptTimeoutMs;
  for (let retry = 1; retry <= policy.limit; retry += 1) total += backoffMs(policy, retry);
  return total;
}

/** got's retry options for this policy: a POST is retried only when it certainly never reached SMN. */
export function gotRetry(policy: RetryPolicy): Partial<RetryOptions> {
  return {
    limit: policy.limit,
    methods: ['POST'],
    statusCodes: [],
    errorCodes: RETRIED_CODES,
    calculateDelay: ({ attemptCount, error }) =>
      attemptCount <= policy.limit && provablyNotSent(error) ? backoffMs(policy, attemptCount) : 0,
  };
}
