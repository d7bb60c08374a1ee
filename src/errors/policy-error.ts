import type { ErrorCode } from '../error-codes.js';

export type PolicyErrorCode =
  | typeof ErrorCode.RATE_LIMITED
  | typeof ErrorCode.QUOTA_EXCEEDED
  | typeof ErrorCode.OUTSIDE_SEND_WINDOW
  | typeof ErrorCode.IDEMPOTENCY_KEY_REUSED
  | typeof ErrorCode.STATE_UNAVAILABLE
  | typeof ErrorCode.STATE_LOST
  | typeof ErrorCode.STATE_FULL;

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

/**
 * A request refused by the gateway itself before anything reached SMN, so nothing was sent: a policy
 * rule (`policy/`), the outbound gate (`smn/outbound-gate.ts`), an idempotency key reused, or shared
 * state out of reach (`fail-closed.ts`).
 */
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
