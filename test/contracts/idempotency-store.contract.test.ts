import { describe, expect, it, vi } from 'vitest';
import {
  IDEMPOTENCY_RECORD_VERSION,
  type DoneRecord,
  type IdempotencyStore,
  type PendingRecord,
} from '../../src/send/idempotency-store.js';
import { createMemoryIdempotencyStore } from '../../src/state/memory-idempotency-store.js';
import { createRedisIdempotencyStore } from '../../src/state/redis-idempotency-store.js';
import { contractRedis, manualClock, twins, untilExpired } from '../helpers/store-contracts.js';

/**
 * The IdempotencyStore contract, run against the memory store and the Redis one: a key is claimed by
 * one request at a time, only its claimer completes or releases it, a finished outcome is replayed,
 * and both a claim and an outcome are gone after their time to live.
 */

const redis = contractRedis();
const HOUR_MS = 3_600_000;
/** Redis keeps real time: the lifetime the expiry tests wait out there. */
const SHORT_TTL_MS = 500;

interface Made {
  readonly store: IdempotencyStore;
  /** Lets a claim's time to live pass: the memory twin's clock moves, Redis expires its keys. */
  expireClaims(): Promise<void>;
}

interface Twin {
  readonly name: string;
  make(): Made;
  /** A store on real time (a finished record's lifetime is lru-cache's, on real time, in memory). */
  makeRealTime(): IdempotencyStore;
}

const memoryOptions = { maxEntries: 1_000, maxBytes: 1_000_000, ttlMs: HOUR_MS };

const memory: Twin = {
  name: 'memory',
  make() {
    const clock = manualClock();
    return {
      store: createMemoryIdempotencyStore({ ...memoryOptions, clock }),
      expireClaims: () => Promise.resolve(clock.advance(SHORT_TTL_MS + 1)),
    };
  },
  makeRealTime: () => createMemoryIdempotencyStore(memoryOptions),
};

const redisTwin: Twin = {
  name: 'redis',
  make() {
    const prefix = redis.prefix();
    return {
      store: createRedisIdempotencyStore(redis.client(), prefix),
      expireClaims: () => untilExpired(redis, prefix),
    };
  },
  makeRealTime: () => createRedisIdempotencyStore(redis.client(), redis.prefix()),
};

let tokens = 0;
const pending = (hash = 'hash-1'): PendingRecord => ({
  v: IDEMPOTENCY_RECORD_VERSION,
  state: 'pending',
  hash,
  token: `token-${(tokens += 1)}`,
  claimedAt: '2026-12-01T09:00:00.000Z',
});
const done = (hash = 'hash-1'): DoneRecord => ({
  v: IDEMPOTENCY_RECORD_VERSION,
  state: 'done',
  hash,
  outcome: { type: 'report', report: { requestId: 'smn-1', sentCount: 2, results: [{ messageId: 'm-1' }] } },
});
const failedWith = (hash = 'hash-1'): DoneRecord => ({
  v: IDEMPOTENCY_RECORD_VERSION,
  state: 'done',
  hash,
  outcome: {
    type: 'error',
    error: {
      kind: 'rejected',
      delivery: 'NOT_SENT',
      httpStatus: 400,
      code: 'SMN.0162',
      message: 'the template was refused',
    },
  },
});

describe.each(twins(memory, redisTwin))('the idempotency store contract ($name)', (twin) => {
  it('gives a free key to its first claimer, and the claim to everyone after', async () => {
    const { store } = twin.make();
    const first = pending();
    expect(await store.claim('key-1', first, HOUR_MS)).toBeUndefined();
    expect(await store.claim('key-1', pending(), HOUR_MS)).toEqual(first);
    expect(await store.get('key-1')).toEqual(first);
    expect(await store.get('key-2')).toBeUndefined();
  });

  it('gives a key to exactly one of many claiming it at once', async () => {
    const { store } = twin.make();
    const claims = Array.from({ length: 8 }, () => pending());
    const answers = await Promise.all(claims.map((claim) => store.claim('key-race', claim, HOUR_MS)));
    const winners = claims.filter((_, index) => answers[index] === undefined);
    expect(winners).toHaveLength(1);
    for (const answer of answers.filter((each) => each !== undefined)) expect(answer).toEqual(winners[0]);
  });

  it('replays the outcome its claimer completed it with, to every later claim', async () => {
    const { store } = twin.make();
    const claim = pending();
    await store.claim('key-3', claim, HOUR_MS);
    await store.complete('key-3', claim, done(), HOUR_MS);
    expect(await store.get('key-3')).toEqual(done());
    expect(await store.claim('key-3', pending(), HOUR_MS)).toEqual(done());
    const errorClaim = pending();
    await store.claim('key-4', errorClaim, HOUR_MS);
    await store.complete('key-4', errorClaim, failedWith(), HOUR_MS);
    expect(await store.claim('key-4', pending(), HOUR_MS)).toEqual(failedWith());
  });

  it('lets only the claimer complete or release its claim', async () => {
    const { store } = twin.make();
    const claim = pending();
    await store.claim('key-5', claim, HOUR_MS);
    const impostor = { ...claim, token: 'someone-else' };
    await store.complete('key-5', impostor, done(), HOUR_MS);
    await store.release('key-5', impostor);
    expect(await store.get('key-5')).toEqual(claim);
    await store.release('key-5', claim);
    expect(await store.get('key-5')).toBeUndefined();
    const next = pending();
    expect(await store.claim('key-5', next, HOUR_MS)).toBeUndefined();
    // The first claimer, late: its claim is gone, so it changes nothing.
    await store.complete('key-5', claim, done(), HOUR_MS);
    await store.release('key-5', claim);
    expect(await store.get('key-5')).toEqual(next);
  });

  it('frees a claim whose sender never came back after the claim’s time to live', async () => {
    const made = twin.make();
    const lost = pending();
    await made.store.claim('key-6', lost, SHORT_TTL_MS);
    expect(await made.store.claim('key-6', pending(), HOUR_MS)).toEqual(lost);
    await made.expireClaims();
    expect(await made.store.get('key-6')).toBeUndefined();
    const retry = pending();
    expect(await made.store.claim('key-6', retry, HOUR_MS)).toBeUndefined();
    // The lost sender, back at last, cannot overwrite the new claim.
    await made.store.complete('key-6', lost, done(), HOUR_MS);
    expect(await made.store.get('key-6')).toEqual(retry);
  });

  it('forgets an outcome after its own time to live', async () => {
    const store = twin.makeRealTime();
    const claim = pending();
    await store.claim('key-7', claim, HOUR_MS);
    await store.complete('key-7', claim, done(), SHORT_TTL_MS);
    expect(await store.get('key-7')).toEqual(done());
    await vi.waitFor(async () => expect(await store.get('key-7')).toBeUndefined(), { timeout: 5_000, interval: 25 });
    expect(await store.claim('key-7', pending(), HOUR_MS)).toBeUndefined();
  });
});
