import { ErrorCode } from '../error-codes.js';

export type PolicyErrorCode =
  | typeof ErrorCode.RATE_LIMITED
  | typeof ErrorCode.QUOTA_EXCEEDED
  | typeof ErrorCode.OUTSIDE_SEND_WINDOW
  | typeof ErrorCode.IDEMPOTENCY_KEY_REUSED
  | typeof ErrorCode.STATE_UNAVAILABLE;

export interface PolicyErrorDetails {
  readonly retryAfterSeconds?: number;
  readonly nextAllowedAt?: Date;
  readonly sendWindow?: string;
  /** For RATE_LIMITED and QUOTA_EXCEEDED: the caller's quota, or the outbound limit toward SMN. */
  readonly limit?: 'quota' | 'outbound';
  /** For QUOTA_EXCEEDED: the largest batch the quota could ever take. */
  readonly maxRecipients?: number;
  /** The underlying failure, for logs only. */
  readonly cause?: unknown;
}

/** A send refused by our own policy, before anything reached SMN: nothing was sent. */
export class PolicyError extends Error {
  constructor(
    readonly code: PolicyErrorCode,
    message: string,
    readonly details: PolicyErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PolicyError';
  }
}

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
