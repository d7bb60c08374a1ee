import { LRUCache } from 'lru-cache';
import type { IdempotencyRecord, IdempotencyStore, PendingRecord } from './idempotency-store.js';

/** Idempotency records for a single replica. Claims are atomic because the check and set never yield. */
export function createMemoryIdempotencyStore(options: { maxEntries: number; ttlMs: number }): IdempotencyStore {
  const records = new LRUCache<string, IdempotencyRecord>({ max: options.maxEntries, ttl: options.ttlMs });
  const holds = (key: string, pending: PendingRecord) => {
    const current = records.get(key);
    return current?.state === 'pending' && current.token === pending.token;
  };
  return {
    claim(key, pending, ttlMs) {
      const existing = records.get(key);
      if (existing) return Promise.resolve(existing);
      records.set(key, pending, { ttl: ttlMs });
      return Promise.resolve(undefined);
    },
    get: (key) => Promise.resolve(records.get(key)),
    complete(key, pending, done, ttlMs) {
      if (holds(key, pending)) records.set(key, done, { ttl: ttlMs });
      return Promise.resolve();
    },
    release(key, pending) {
      if (holds(key, pending)) records.delete(key);
      return Promise.resolve();
    },
  };
}
