import { ErrorCode } from '../error-codes.js';

/** Why a PromotionSmsPublish call did not produce a result. */
export type SmnErrorKind = 'rejected' | 'rate-limited' | 'unavailable';

/**
 * Whether any message may have reached a phone. `NOT_SENT` is certain (SMN refused, or the request
 * never left); `UNKNOWN` means it may have been delivered, so it must not be sent again blindly.
 */
export type Delivery = 'NOT_SENT' | 'UNKNOWN';

export interface SmnErrorDetails {
  readonly kind: SmnErrorKind;
  readonly delivery: Delivery;
  readonly httpStatus?: number | undefined;
  /** SMN (`SMN.0162`) or API gateway (`APIG.0308`) code, when the body carried one. */
  readonly code?: string | undefined;
  readonly requestId?: string | undefined;
  readonly retryAfterSeconds?: number | undefined;
  /** Low-level cause (e.g. ECONNREFUSED, ETIMEDOUT, INVALID_BODY), for logs. */
  readonly causeCode?: string | undefined;
  /**
   * Answered from an idempotency record (or for an earlier claim still in flight): this request sent
   * nothing itself. Set by idempotent-publish.ts, never stored (`toJSON` leaves it out).
   */
  readonly replayed?: boolean | undefined;
}

/** The one error type the SMN adapter throws. Its message never contains credentials or numbers. */
export class SmnError extends Error {
  readonly kind: SmnErrorKind;
  readonly delivery: Delivery;
  readonly httpStatus: number | undefined;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly causeCode: string | undefined;
  readonly replayed: boolean;

  /** `options.cause`: the underlying failure (got's RequestError, ...), kept for logs. */
  constructor(message: string, details: SmnErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = 'SmnError';
    this.kind = details.kind;
    this.delivery = details.delivery;
    this.httpStatus = details.httpStatus;
    this.code = details.code;
    this.requestId = details.requestId;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.causeCode = details.causeCode;
    this.replayed = details.replayed ?? false;
  }

  /** What an idempotency record keeps of it (never credentials or numbers: the message has none). */
  toJSON(): SmnErrorDetails & { message: string } {
    return {
      message: this.message,
      kind: this.kind,
      delivery: this.delivery,
      httpStatus: this.httpStatus,
      code: this.code,
      requestId: this.requestId,
      retryAfterSeconds: this.retryAfterSeconds,
    };
  }
}

/** The error codes the API promises for SMN failures. */
export const SMN_ERROR_CODES: Record<SmnErrorKind, string> = {
  rejected: ErrorCode.SMN_REJECTED,
  'rate-limited': ErrorCode.SMN_RATE_LIMITED,
  unavailable: ErrorCode.SMN_UNAVAILABLE,
};
