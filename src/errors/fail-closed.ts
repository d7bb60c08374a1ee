import { ErrorCode } from '../error-codes.js';
import { PolicyError } from './policy-error.js';

/** Shared state (idempotency records, quota counters) is out of reach: no guarantee, so no send. */
export function stateUnavailable(cause?: unknown): PolicyError {
  return new PolicyError(
    ErrorCode.STATE_UNAVAILABLE,
    'Shared state is unavailable, so nothing was sent; try again shortly.',
    {
      retryAfterSeconds: 1,
      ...(cause !== undefined && { cause }),
    },
  );
}

/** Runs a store operation; a failing store means no guarantee, so the caller is refused (fail closed). */
export async function failClosed<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw stateUnavailable(error);
  }
}
