import { errorCode, provablyNotSent } from './transport-errors.js';

/** How the SMN client retries: only a call that provably never left, with exponential backoff. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  readonly limit: number;
  /** The wait before the first retry; each later one doubles it. */
  readonly baseDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { limit: 2, baseDelayMs: 200 };

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

export interface RetryHooks {
  /** Told before the wait that precedes retry number `retryCount` (1-based), with the failure's code. */
  readonly onRetry?: (retry: { cause: string | undefined; retryCount: number }) => void;
}

/**
 * Runs `attempt` (given its 0-based retry count) until it succeeds, fails in a way that may have
 * reached SMN (thrown at once), or `policy.limit` retries are spent (the last failure is thrown).
 *
 * The attempts are ours, not got's: since Node 24.20 `ClientRequest.end()` calls back with the socket's
 * failure, and got 14 rejects its promise with that second error (a plain ERR_SOCKET_CLOSED_BEFORE_CONNECTION)
 * while its own retry is still waiting, so a refused send was tried once (sindresorhus/got#2469). Each
 * got call here is a single attempt, which fails with got's own RequestError on every Node release.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (retryCount: number) => Promise<T>,
  hooks: RetryHooks = {},
): Promise<T> {
  for (let retryCount = 0; ; retryCount += 1) {
    try {
      return await attempt(retryCount);
    } catch (error) {
      if (retryCount >= policy.limit || !provablyNotSent(error)) throw error;
      hooks.onRetry?.({ cause: errorCode(error), retryCount: retryCount + 1 });
      await new Promise((resolve) => setTimeout(resolve, backoffMs(policy, retryCount + 1)));
    }
  }
}
