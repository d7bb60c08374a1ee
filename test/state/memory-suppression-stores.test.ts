import { describe, expect, it } from 'vitest';
import { createMemoryDailyCounterStore } from '../../src/state/memory-daily-counter-store.js';
import { createMemoryOptOutStore } from '../../src/state/memory-opt-out-store.js';

const record = { source: 'MANUAL' as const, since: '2026-11-29T00:00:00.000Z' };

describe('the in-memory opt-out store', () => {
  it('keeps one list per tenant and the first record of a number', async () => {
    const store = createMemoryOptOutStore();
    expect((await store.add('acme', ['+1', '+2'], record)).length).toBe(2);
    expect((await store.add('acme', ['+2', '+3'], { ...record, reason: 'later' })).length).toBe(1);
    expect((await store.find('acme', ['+2'])).get('+2')).toEqual(record);
    expect((await store.find('globex', ['+1', '+2'])).size).toBe(0);
    expect((await store.remove('acme', ['+1', '+9'])).length).toBe(1);
    expect(store.size).toBe(2);
  });

  it('refuses what would pass its bound, changing nothing', async () => {
    const store = createMemoryOptOutStore(3);
    await store.add('t', ['+1', '+2'], record);
    await expect(store.add('t', ['+3', '+4'], record)).rejects.toThrow(/full/);
    expect(store.size).toBe(2);
  });
});

describe('the in-memory daily counters', () => {
  it('reserve in order up to the limit, release gives back, and old days leave memory', async () => {
    const store = createMemoryDailyCounterStore();
    expect(await store.reserve('2026-11-29', ['+1', '+1', '+1', '+2'], 2)).toEqual([true, true, false, true]);
    await store.release('2026-11-29', ['+1']);
    expect(await store.reserve('2026-11-29', ['+1', '+1'], 2)).toEqual([true, false]);
    await store.reserve('2026-11-30', ['+1'], 2);
    await store.reserve('2026-12-01', ['+1'], 2);
    // 29 November has gone: a late release for it does nothing, and its counts are not there to see.
    await store.release('2026-11-29', ['+1']);
    expect(await store.reserve('2026-11-29', ['+1', '+1', '+1'], 2)).toEqual([true, true, false]);
  });
});
