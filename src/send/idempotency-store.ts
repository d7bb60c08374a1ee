import type { SmnErrorDetails } from '../smn/errors.js';

/** The record format version; bump it when the shape changes, so old records are never misread. */
export const IDEMPOTENCY_RECORD_VERSION = 1;

/** A request with this key is being sent (or its sender died: then it stays pending until it expires). */
export interface PendingRecord {
  readonly v: typeof IDEMPOTENCY_RECORD_VERSION;
  readonly state: 'pending';
  /** Canonical hash of the validated input. */
  readonly hash: string;
  /** Unique per claim, so only the claimer can release it. */
  readonly token: string;
  readonly claimedAt: string;
}

/** What the request with this key ended in: a report, or an error worth replaying. */
export interface DoneRecord {
  readonly v: typeof IDEMPOTENCY_RECORD_VERSION;
  readonly state: 'done';
  readonly hash: string;
  readonly outcome:
    | { readonly type: 'report'; readonly report: unknown }
    | { readonly type: 'error'; readonly error: SmnErrorDetails & { readonly message: string } };
}

export type IdempotencyRecord = PendingRecord | DoneRecord;

/** Where idempotency records live: in memory for one replica, in Redis for several. */
export interface IdempotencyStore {
  /**
   * Atomically takes the key for `pending` (kept for `ttlMs`, which must outlast any send); returns
   * the existing record when it is already taken.
   */
  claim(key: string, pending: PendingRecord, ttlMs: number): Promise<IdempotencyRecord | undefined>;
  get(key: string): Promise<IdempotencyRecord | undefined>;
  /** Replaces this claim's pending record with the outcome; does nothing if the key no longer holds it. */
  complete(key: string, pending: PendingRecord, done: DoneRecord, ttlMs: number): Promise<void>;
  /** Frees the key, only if it still holds this claim (a NOT_SENT failure: the caller may retry). */
  release(key: string, pending: PendingRecord): Promise<void>;
}

/** Reads a stored record, refusing shapes from another version. */
export function parseRecord(raw: string | null | undefined): IdempotencyRecord | undefined {
  if (!raw) return undefined;
  const record = JSON.parse(raw) as Partial<IdempotencyRecord>;
  if (record.v !== IDEMPOTENCY_RECORD_VERSION) throw new Error(`unknown idempotency record version ${record.v}`);
  return record as IdempotencyRecord;
}
