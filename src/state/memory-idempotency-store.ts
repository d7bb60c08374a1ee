import { LRUCache } from 'lru-cache';
import {
  parseRecord,
  type IdempotencyRecord,
  type IdempotencyStore,
  type PendingRecord,
} from '../send/idempotency-store.js';
import type { Clock } from '../util/clock.js';

export interface MemoryIdempotencyOptions {
  /** Most finished records kept. */
  readonly maxEntries: number;
  /** Most characters of stored JSON kept for finished records (about a byte each). */
  readonly maxBytes: number;
  /** Default lifetime of a finished record (each write also gives its own). */
  readonly ttlMs: number;
  /** Most claims in flight at once; a claim past it is refused (nothing sent), never made room for. */
  readonly maxPending?: number;
  /** Told when an unexpired finished record was dropped to stay inside the budget. */
  readonly onEvict?: () => void;
  /** Claims expire on it; monotonic by default, so setting the system clock moves no expiry (tests pin it). */
  readonly clock?: Clock;
}

const DEFAULT_MAX_PENDING = 10_000;

/**
 * Idempotency records for a single replica. Claims are atomic because the check and set never yield.
 * Pending claims live apart from finished records and are never evicted: past `maxPending` new keys
 * are refused. Finished records are kept as JSON, bounded by count and by size, released when they
 * expire (lru-cache's autopurge), and, when the budget is full, dropped oldest first.
 */
export function createMemoryIdempotencyStore(
  options: MemoryIdempotencyOptions,
): IdempotencyStore & { stats(): { pending: number; stored: number; storedBytes: number } } {
  const { clock } = options;
  const now = clock ? () => clock.now().getTime() : () => performance.now();
  const maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
  /** In claim order; a claim's lifetime is fixed, so the oldest also expire first. */
  const pending = new Map<string, { readonly record: PendingRecord; readonly expiresAt: number }>();
  // No `max`: lru-cache would allocate its arrays for maxEntries up front (megabytes at start for
  // keys nobody has sent yet); the byte budget bounds it, and maxEntries is kept below by hand.
  const done = new LRUCache<string, string>({
    maxSize: options.maxBytes,
    sizeCalculation: (value, key) => value.length + key.length,
    ttl: options.ttlMs,
    ttlAutopurge: true,
    dispose: (_value, _key, reason) => {
      if (reason === 'evict') options.onEvict?.();
    },
  });

  const dropExpiredClaims = () => {
    const at = now();
    for (const [key, claim] of pending) {
      if (claim.expiresAt > at) break;
      pending.delete(key);
    }
  };
  const read = (key: string): IdempotencyRecord | undefined => {
    const claim = pending.get(key);
    if (claim && claim.expiresAt > now()) return claim.record;
    return parseRecord(done.get(key));
  };
  const holds = (key: string, record: PendingRecord) => pending.get(key)?.record.token === record.token;

  return {
    stats: () => ({ pending: pending.size, stored: done.size, storedBytes: done.calculatedSize }),
    claim(key, record, ttlMs) {
      dropExpiredClaims();
      const existing = read(key);
      if (existing) return Promise.resolve(existing);
      if (pending.size >= maxPending) {
        return Promise.reject(new Error(`${maxPending} idempotency keys are already in flight`));
      }
      pending.delete(key); // re-inserted last, keeping the map in expiry order
      pending.set(key, { record, expiresAt: now() + ttlMs });
      return Promise.resolve(undefined);
    },
    get: (key) => Promise.resolve(read(key)),
    complete(key, record, outcome, ttlMs) {
      if (!holds(key, record)) return Promise.resolve();
      if (!done.has(key) && done.size >= options.maxEntries) done.pop(); // the least recently used leaves
      done.set(key, JSON.stringify(outcome), { ttl: ttlMs });
      // An outcome too large for the whole budget is not stored: the claim then stays until it
      // expires, so a retry is answered UNKNOWN rather than sent again.
      if (done.has(key)) pending.delete(key);
      return Promise.resolve();
    },
    release(key, record) {
      if (holds(key, record)) pending.delete(key);
      return Promise.resolve();
    },
  };
}
