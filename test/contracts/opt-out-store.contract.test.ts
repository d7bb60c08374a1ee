import { describe, expect, it } from 'vitest';
import type { OptOutRecord, OptOutStore } from '../../src/suppression/opt-out-store.js';
import { CANONICAL_FORM, canonicalNumber } from '../../src/suppression/canonical-number.js';
import { createMemoryOptOutStore } from '../../src/state/memory-opt-out-store.js';
import { createRedisOptOutStore } from '../../src/state/redis-suppression-stores.js';
import { contractRedis, twins } from '../helpers/store-contracts.js';

/**
 * The OptOutStore contract, run against the memory store and the Redis one: one list per tenant, a
 * number opted out once keeps its first record, removal opts back in. (Re-keying numbers an earlier
 * version stored in another form is Redis's alone: only it outlives the process.)
 */

const redis = contractRedis();

interface Twin {
  readonly name: string;
  make(): OptOutStore;
}

const memory: Twin = { name: 'memory', make: () => createMemoryOptOutStore() };
const redisTwin: Twin = {
  name: 'redis',
  make: () => createRedisOptOutStore(redis.client(), redis.prefix(), { of: canonicalNumber, form: CANONICAL_FORM }),
};

const manual: OptOutRecord = { source: 'MANUAL', reason: 'asked by phone', since: '2026-11-01T00:00:00.000Z' };
const replied: OptOutRecord = { source: 'SMS_REPLY', since: '2026-11-02T00:00:00.000Z' };

const A = '+8613800000001';
const B = '+8613800000002';
const C = '+8613800000003';

describe.each(twins(memory, redisTwin))('the opt-out store contract ($name)', (twin) => {
  it('opts out the numbers not opted out yet, keeping the first record of each', async () => {
    const store = twin.make();
    expect((await store.add('acme', [A, B], manual)).length).toBe(2);
    expect((await store.add('acme', [B, C], replied)).length).toBe(1);
    const found = await store.find('acme', [A, B, C, '+8613800000004']);
    expect(found).toEqual(
      new Map([
        [A, manual],
        [B, manual],
        [C, replied],
      ]),
    );
    expect((await store.add('acme', [], manual)).length).toBe(0);
    expect(await store.find('acme', [])).toEqual(new Map());
  });

  it('keeps one list per tenant: a number opted out for one tenant is not for another', async () => {
    const store = twin.make();
    await store.add('acme', [A], manual);
    await store.add('', [B], replied);
    expect(await store.find('globex', [A, B])).toEqual(new Map());
    expect(await store.find('', [A, B])).toEqual(new Map([[B, replied]]));
    expect((await store.remove('globex', [A])).length).toBe(0);
    expect(await store.find('acme', [A])).toEqual(new Map([[A, manual]]));
  });

  it('opts numbers back in, counting only those that were opted out', async () => {
    const store = twin.make();
    await store.add('acme', [A, B], manual);
    expect((await store.remove('acme', [A, C])).length).toBe(1);
    expect((await store.remove('acme', [A])).length).toBe(0);
    expect((await store.remove('acme', [])).length).toBe(0);
    expect(await store.find('acme', [A, B])).toEqual(new Map([[B, manual]]));
    // Opted out again: a new record.
    expect((await store.add('acme', [A], replied)).length).toBe(1);
    expect(await store.find('acme', [A])).toEqual(new Map([[A, replied]]));
  });

  it('counts each number once when the same numbers are added at once from several replicas', async () => {
    const store = twin.make();
    const added = await Promise.all([
      store.add('acme', [A, B], manual),
      store.add('acme', [B, C], replied),
      store.add('acme', [A, C], manual),
    ]);
    expect(added.reduce((sum, numbers) => sum + numbers.length, 0)).toBe(3);
  });
});
