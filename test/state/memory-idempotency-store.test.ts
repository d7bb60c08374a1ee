import { describe, expect, it, vi } from 'vitest';
import { IDEMPOTENCY_RECORD_VERSION, type DoneRecord, type PendingRecord } from '../../src/send/idempotency-store.js';
import { createMemoryIdempotencyStore } from '../../src/state/memory-idempotency-store.js';

const pending = (token: string): PendingRecord => ({
  v: IDEMPOTENCY_RECORD_VERSION,
  state: 'pending',
  hash: 'h',
  token,
  claimedAt: new Date().toISOString(),
});
/** A finished record whose JSON is about `size` characters. */
const done = (size: number): DoneRecord => ({
  v: IDEMPOTENCY_RECORD_VERSION,
  state: 'done',
  hash: 'h',
  outcome: { type: 'report', report: { padding: 'x'.repeat(size) } },
});

async function finish(
  store: ReturnType<typeof createMemoryIdempotencyStore>,
  key: string,
  size: number,
  ttlMs = 60_000,
) {
  const claim = pending(key);
  expect(await store.claim(key, claim, 60_000)).toBeUndefined();
  await store.complete(key, claim, done(size), ttlMs);
}

describe('the in-memory idempotency store', () => {
  it('releases finished records from memory when they expire, not when the count cap is reached', async () => {
    const store = createMemoryIdempotencyStore({ maxEntries: 100_000, maxBytes: 10_000_000, ttlMs: 50 });
    for (let i = 0; i < 20; i += 1) await finish(store, `k${i}`, 1000, 50);
    expect(store.stats().stored).toBe(20);
    // lru-cache's own purge timers release them: wait for that, with no record read to trigger it.
    await vi.waitFor(() => expect(store.stats()).toEqual({ pending: 0, stored: 0, storedBytes: 0 }));
  });

  it('is bounded by bytes: past the budget the oldest finished records go, and the operator is told', async () => {
    let evicted = 0;
    const store = createMemoryIdempotencyStore({
      maxEntries: 100_000,
      maxBytes: 10_000,
      ttlMs: 60_000,
      onEvict: () => (evicted += 1),
    });
    for (let i = 0; i < 10; i += 1) await finish(store, `k${i}`, 3000);
    expect(store.stats().storedBytes).toBeLessThanOrEqual(10_000);
    expect(store.stats().stored).toBe(3);
    expect(evicted).toBe(7);
    expect(await store.get('k0')).toBeUndefined();
    expect((await store.get('k9'))?.state).toBe('done');
  });

  it('never evicts a pending claim to make room: past maxPending a new key is refused', async () => {
    const store = createMemoryIdempotencyStore({ maxEntries: 2, maxBytes: 1_000_000, ttlMs: 60_000, maxPending: 2 });
    await store.claim('a', pending('a'), 60_000);
    await store.claim('b', pending('b'), 60_000);
    for (let i = 0; i < 5; i += 1) await finish(store, `done${i}`, 10).catch(() => undefined);
    await expect(store.claim('c', pending('c'), 60_000)).rejects.toThrow(/in flight/);
    expect((await store.get('a'))?.state).toBe('pending');
    expect((await store.get('b'))?.state).toBe('pending');
  });

  it('frees a claim slot once its claim expires', async () => {
    let now = 0;
    const store = createMemoryIdempotencyStore({
      maxEntries: 10,
      maxBytes: 1_000_000,
      ttlMs: 60_000,
      maxPending: 1,
      clock: { now: () => new Date(now) },
    });
    await store.claim('a', pending('a'), 1000);
    await expect(store.claim('b', pending('b'), 1000)).rejects.toThrow();
    now = 1001;
    expect(await store.claim('b', pending('b'), 1000)).toBeUndefined();
    expect(store.stats().pending).toBe(1);
  });

  it('keeps the claim when the outcome is too large to store, so a retry is never sent again', async () => {
    const store = createMemoryIdempotencyStore({ maxEntries: 10, maxBytes: 1000, ttlMs: 60_000 });
    const claim = pending('big');
    await store.claim('big', claim, 60_000);
    await store.complete('big', claim, done(5000), 60_000);
    expect((await store.get('big'))?.state).toBe('pending');
  });
});

describe('the memory idempotency store counts its records without allocating for them up front', () => {
  it('keeps at most maxEntries finished records, dropping the least recently used, and says so', async () => {
    let evicted = 0;
    const store = createMemoryIdempotencyStore({
      maxEntries: 3,
      maxBytes: 1_000_000,
      ttlMs: 60_000,
      onEvict: () => (evicted += 1),
    });
    for (const key of ['a', 'b', 'c', 'd', 'e']) {
      const claim = pending(key);
      await store.claim(key, claim, 60_000);
      await store.complete(key, claim, done(10), 60_000);
      expect(store.stats().stored).toBeLessThanOrEqual(3);
    }
    expect(evicted).toBe(2);
    expect(await store.get('a')).toBeUndefined();
    expect(await store.get('b')).toBeUndefined();
    expect((await store.get('e'))?.state).toBe('done');
  });
});
