import type { RedisClient } from './redis-client.js';
import type { DurableWrites } from './redis-durability.js';
import { parseRecord, type IdempotencyStore } from '../send/idempotency-store.js';

/** How often, and how far apart, a failed claim is let go again while Redis does not answer. */
const RELEASE_ATTEMPTS = 20;
const RELEASE_RETRY_MS = 500;

/** Deletes the key only if it still holds this exact pending claim. */
const RELEASE_IF_OURS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** Stores the outcome only if the key still holds this exact pending claim. */
const COMPLETE_IF_OURS = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end return 0`;

/**
 * Idempotency records shared by every replica: a claim is one atomic SET NX PX, acknowledged by the
 * required replicas (WAIT) before the send goes on, so a failover cannot forget it and send twice. A
 * claim the replicas did not acknowledge in time is let go again (nothing was sent) and the request
 * refused. One key per record: any Cluster slot.
 */
export function createRedisIdempotencyStore(
  redis: RedisClient,
  keyPrefix: string,
  durable?: DurableWrites,
): IdempotencyStore {
  const keyOf = (key: string) => `${keyPrefix}v1:idem:${key}`;
  const release = (key: string, value: string) => redis.eval(RELEASE_IF_OURS, 1, keyOf(key), value);
  /**
   * A claim whose write failed may still have been made (the answer was lost, or the replicas did not
   * acknowledge it): nothing was sent, so it is let go, in the background and again until Redis answers,
   * rather than left to answer "may have been sent" until it expires. Only this exact claim is deleted.
   */
  const letGo = (key: string, value: string, attempt = 0): void => {
    release(key, value).catch(() => {
      if (attempt < RELEASE_ATTEMPTS) setTimeout(() => letGo(key, value, attempt + 1), RELEASE_RETRY_MS).unref();
    });
  };
  /** SET NX PX, through the durable writes when there are any: 'OK' when this claim was written. */
  const write = async (key: string, value: string, ttlMs: number): Promise<unknown> => {
    if (!durable) return redis.set(keyOf(key), value, 'PX', ttlMs, 'NX');
    try {
      const [answer] = await durable.write((pipeline) => pipeline.set(keyOf(key), value, 'PX', ttlMs, 'NX'));
      return answer;
    } catch (error) {
      letGo(key, value);
      throw error;
    }
  };
  /** Answers undefined when this claim holds the key, else what the key holds (null: it just expired). */
  const setIfAbsent = async (key: string, value: string, ttlMs: number): Promise<string | null | undefined> => {
    if ((await write(key, value, ttlMs)) === 'OK') return undefined;
    const held = await redis.get(keyOf(key));
    // A write run once more after a moved primary finds the first one's claim: it was ours after all.
    return held === value ? undefined : held;
  };
  return {
    async claim(key, pending, ttlMs) {
      const value = JSON.stringify(pending);
      for (let attempt = 0; attempt < 3; attempt += 1) {
        const held = await setIfAbsent(key, value, ttlMs);
        if (held === undefined) return undefined;
        const existing = parseRecord(held);
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
      const value = JSON.stringify(pending);
      await release(key, value).catch((error: unknown) => {
        letGo(key, value);
        throw error;
      });
    },
  };
}
