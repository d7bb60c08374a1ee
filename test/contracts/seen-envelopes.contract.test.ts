import { describe, expect, it } from 'vitest';
import type { SeenEnvelopes } from '../../src/smn/events/seen-envelopes.js';
import { createMemorySeenEnvelopes } from '../../src/state/memory-deliveries.js';
import { createRedisSeenEnvelopes } from '../../src/state/redis-deliveries.js';
import { contractRedis, twins } from '../helpers/store-contracts.js';

/**
 * The SeenEnvelopes contract, run against the memory store and the Redis one: an envelope is known
 * by the digest of what SMN signed, never by its message_id alone, once marked on any replica.
 * (How long each remembers, a week, is asserted where each is built: test/state/.)
 */

const redis = contractRedis();

interface Twin {
  readonly name: string;
  /** Two replicas of the store (memory has one: the same store twice). */
  make(): [SeenEnvelopes, SeenEnvelopes];
}

const memory: Twin = {
  name: 'memory',
  make() {
    const store = createMemorySeenEnvelopes();
    return [store, store];
  },
};
const redisTwin: Twin = {
  name: 'redis',
  make() {
    const prefix = redis.prefix();
    return [createRedisSeenEnvelopes(redis.client(), prefix), createRedisSeenEnvelopes(redis.client(), prefix)];
  },
};

const digest = (char: string) => char.repeat(64);

describe.each(twins(memory, redisTwin))('the seen envelopes contract ($name)', (twin) => {
  it('knows a marked envelope by its digest, on every replica', async () => {
    const [a, b] = twin.make();
    const key = { digest: digest('a') };
    expect(await b.seen(key)).toBe(false);
    await a.mark(key);
    expect(await b.seen(key)).toBe(true);
    expect(await a.seen(key)).toBe(true);
    // Marking again changes nothing.
    await b.mark(key);
    expect(await a.seen(key)).toBe(true);
  });

  it('tells envelopes apart by their digest alone', async () => {
    const [store] = twin.make();
    await store.mark({ digest: digest('b') });
    expect(await store.seen({ digest: digest('c') })).toBe(false);
    expect(await store.seen({ digest: digest('b') })).toBe(true);
  });
});
