import { ErrorCode } from '../error-codes.js';
import { PolicyError } from './policy-error.js';

/** Shared state (idempotency records, quota counters) is out of reach: no guarantee, so no send. */
export function stateUnavailable(cause?: unknown, message?: string): PolicyError {
  return new PolicyError(
    ErrorCode.STATE_UNAVAILABLE,
    message ?? 'Shared state is unavailable, so nothing was sent; try again shortly.',
    {
      retryAfterSeconds: 1,
      ...(cause !== undefined && { cause }),
    },
  );
}

/** Shared state was lost since this replica saw it: nothing is sent until an operator says so. */
export function stateLost(reason: string): PolicyError {
  return new PolicyError(
    ErrorCode.STATE_LOST,
    `Shared state was lost (${reason}), so nothing was sent: opt-outs and idempotency records may be gone. ` +
      'An operator must restore the backup or accept the loss.',
    { retryAfterSeconds: 60 },
  );
}

/** Redis answered OOM: the write that the guarantee needs cannot be made, so nothing is sent. */
export function stateFull(cause?: unknown): PolicyError {
  return new PolicyError(ErrorCode.STATE_FULL, 'Shared state is full (Redis is out of memory), so nothing was sent.', {
    retryAfterSeconds: 30,
    ...(cause !== undefined && { cause }),
  });
}

/** Redis' "OOM command not allowed when used memory > 'maxmemory'". */
export const isOutOfMemory = (error: unknown): boolean => error instanceof Error && error.message.startsWith('OOM');

/** A write that the required replicas did not acknowledge in time (WAIT): it may be lost on a failover. */
export class NotReplicatedError extends Error {
  constructor(
    readonly acknowledged: number,
    readonly required: number,
    waitMs: number,
  ) {
    super(`${acknowledged} of ${required} Redis replicas acknowledged the write within ${waitMs} ms`);
    this.name = 'NotReplicatedError';
  }
}

/** The refusal for a failed shared-state operation: STATE_FULL on OOM, else STATE_UNAVAILABLE. */
export function stateFailure(error: unknown): PolicyError {
  if (error instanceof PolicyError) return error;
  if (isOutOfMemory(error)) return stateFull(error);
  if (error instanceof NotReplicatedError) {
    return stateUnavailable(
      error,
      'Shared state could not be made durable (Redis replicas did not acknowledge in time), so nothing was sent; try again shortly.',
    );
  }
  return stateUnavailable(error);
}

/** Runs a store operation; a failing store means no guarantee, so the caller is refused (fail closed). */
export async function failClosed<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw stateFailure(error);
  }
}
