import { LRUCache } from 'lru-cache';
import type { IdempotencyRecord, IdempotencyStore } from './idempotency-store.js';

/** Idempotency records for a single replica. Claims are atomic because the check and set never yield. */
export function createMemoryIdempotencyStore(options: { maxEntries: number; ttlMs: number }): IdempotencyStore {
  const records = new LRUCache<string, IdempotencyRecord>({ max: options.maxEntries, ttl: options.ttlMs });
  return {
    claim(key, pending) {
      const existing = records.get(key);
      if (existing) return Promise.resolve(existing);
      records.set(key, pending);
      return Promise.resolve(undefined);
    },
    get: (key) => Promise.resolve(records.get(key)),
    complete(key, done) {
      records.set(key, done);
      return Promise.resolve();
    },
    release(key, pending) {
      const current = records.get(key);
      if (current?.state === 'pending' && current.token === pending.token) records.delete(key);
      return Promise.resolve();
    },
  };
}
