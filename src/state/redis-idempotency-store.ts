import type { Redis } from 'ioredis';
import { parseRecord, type IdempotencyStore } from '../send/idempotency-store.js';

/** Deletes the key only if it still holds this exact pending claim. */
const RELEASE_IF_OURS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** Stores the outcome only if the key still holds this exact pending claim. */
const COMPLETE_IF_OURS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end return 0`;

/** Idempotency records shared by every replica: claims are one atomic SET NX PX. */
export function createRedisIdempotencyStore(redis: Redis, keyPrefix: string): IdempotencyStore {
  const keyOf = (key: string) => `${keyPrefix}v1:idem:${key}`;
  return {
    async claim(key, pending, ttlMs) {
      const value = JSON.stringify(pending);
      for (let attempt = 0; attempt < 3; attempt += 1) {
        if ((await redis.set(keyOf(key), value, 'PX', ttlMs, 'NX')) === 'OK') return undefined;
        const existing = parseRecord(await redis.get(keyOf(key)));
        if (existing) return existing;
        // It expired between the two commands: claim again.
      }
      throw new Error('idempotency key kept vanishing while being claimed');
    },
    async get(key) {
      return parseRecord(await redis.get(keyOf(key)));
    },
    async complete(key, pending, done, ttlMs) {
      await redis.eval(COMPLETE_IF_OURS, 1, keyOf(key), JSON.stringify(pending), JSON.stringify(done), String(ttlMs));
    },
    async release(key, pending) {
      await redis.eval(RELEASE_IF_OURS, 1, keyOf(key), JSON.stringify(pending));
    },
  };
}
