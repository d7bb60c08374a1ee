import { describe, expect, it } from 'vitest';
import type { DailyCounterStore } from '../../src/suppression/daily-counter-store.js';
import { createMemoryDailyCounterStore } from '../../src/state/memory-daily-counter-store.js';
import { createRedisDailyCounterStore } from '../../src/state/redis-suppression-stores.js';
import { contractRedis, redisReady, twins } from '../helpers/store-contracts.js';

/**
 * The DailyCounterStore contract, run against the memory store and the Redis one: reservations up to
 * the day's limit, atomic across concurrent calls, given back on release (never below zero), and a
 * new count each day, with yesterday's reservations still released after midnight.
 */

const redis = contractRedis();
const DAY_MS = 86_400_000;

interface Twin {
  readonly name: string;
  make(): DailyCounterStore;
}

const memory: Twin = { name: 'memory', make: () => createMemoryDailyCounterStore() };
const redisTwin: Twin = {
  name: 'redis',
  make: () => createRedisDailyCounterStore(redis.client(), redis.prefix()),
};

const A = '+8613800000001';
const B = '+8613800000002';
const DAY = '2026-12-01';
const NEXT_DAY = '2026-12-02';

describe.each(twins(memory, redisTwin))('the daily counter store contract ($name)', (twin) => {
  it('reserves each number up to the limit, in order, a number given twice counted twice', async () => {
    const store = twin.make();
    expect(await store.reserve(DAY, [A, B, A], 2)).toEqual([true, true, true]);
    expect(await store.reserve(DAY, [A, B, B], 2)).toEqual([false, true, false]);
    expect(await store.reserve(DAY, [], 2)).toEqual([]);
    // A lower limit later (configuration changed) refuses what is already over it.
    expect(await store.reserve(DAY, [B], 1)).toEqual([false]);
  });

  it('gives sends back on release, never below zero', async () => {
    const store = twin.make();
    await store.reserve(DAY, [A, A], 2);
    await store.release(DAY, [A]);
    expect(await store.reserve(DAY, [A, A], 2)).toEqual([true, false]);
    // Released more often than reserved: the count stays at zero, not below.
    await store.release(DAY, [B, B, B]);
    await store.release(DAY, []);
    expect(await store.reserve(DAY, [B, B, B], 2)).toEqual([true, true, false]);
  });

  it('never takes more than the limit across concurrent reservations', async () => {
    const store = twin.make();
    const answers = await Promise.all(Array.from({ length: 10 }, () => store.reserve(DAY, [A, B], 3)));
    const taken = answers.flat().filter(Boolean);
    expect(taken).toHaveLength(6);
  });

  it('counts each day on its own; yesterday’s reservation is still given back after midnight', async () => {
    const store = twin.make();
    expect(await store.reserve(DAY, [A], 1)).toEqual([true]);
    expect(await store.reserve(NEXT_DAY, [A], 1)).toEqual([true]);
    expect(await store.reserve(DAY, [A], 1)).toEqual([false]);
    await store.release(DAY, [A]);
    expect(await store.reserve(DAY, [A], 1)).toEqual([true]);
    expect(await store.reserve(NEXT_DAY, [A], 1)).toEqual([false]);
  });
});

describe.runIf(redisReady)('the Redis daily counters', () => {
  it('keep a day’s counts for two days, then let Redis drop them', async () => {
    const prefix = redis.prefix();
    await createRedisDailyCounterStore(redis.client(), prefix).reserve(DAY, [A], 1);
    // A is +8613800000001: shard 1 (its value mod 16).
    const ttl = await redis.client().pttl(`${prefix}v1:daily:${DAY}:1`);
    expect(ttl).toBeGreaterThan(2 * DAY_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(2 * DAY_MS);
  });
});
