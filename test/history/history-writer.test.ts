import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HistoryStore, WrittenRows } from '../../src/history/history-store.js';
import type { OutboxEntry } from '../../src/history/outbox.js';
import { startHistoryWriter, type HistoryWriter, type HistoryWriterClock } from '../../src/history/history-writer.js';
import { createMemoryHistoryOutbox } from '../../src/state/memory-history-outbox.js';
import { LogCapture } from '../helpers/log-capture.js';
import { heldBackEvent } from '../helpers/history-events.js';

/**
 * The history writer on the in-process outbox, a fake store and a clock of the test's own: batches of
 * the configured size, acknowledged only once committed; a failed write acknowledges nothing, is logged
 * once per cause (then once a minute), backs off 200 ms doubling to 5 s and retries; success after
 * failures logs 'history writer caught up'; stop() lets the batch in flight finish.
 */

const at = new Date('2026-12-05T09:00:00.000Z');
const suppressed = (count: number) => heldBackEvent(count, at);

/** A store whose write() the test answers: each call waits until released (or fails when told). */
function fakeStore() {
  const calls: Array<{
    entries: readonly OutboxEntry[];
    resolve: (rows: WrittenRows) => void;
    reject: (error: unknown) => void;
  }> = [];
  let auto: ((entries: readonly OutboxEntry[]) => Promise<WrittenRows>) | undefined;
  const store = {
    write(entries: readonly OutboxEntry[]) {
      if (auto) return auto(entries);
      return new Promise<WrittenRows>((resolve, reject) => calls.push({ entries, resolve, reject }));
    },
  } as unknown as HistoryStore;
  return {
    store,
    calls,
    /** Every later write answers at once with this. */
    answer(fn: (entries: readonly OutboxEntry[]) => Promise<WrittenRows>) {
      auto = fn;
    },
  };
}

const rows = (entries: readonly OutboxEntry[]): WrittenRows => ({
  messages: 0,
  reports: 0,
  optOuts: 0,
  suppressed: entries.length,
});

/** now() moved by hand; every sleep recorded and resolved by the test (or by stop()). */
function fakeClock() {
  let now = Date.parse('2026-12-05T09:00:00.000Z');
  const sleeps: Array<{ ms: number; wake: () => void }> = [];
  const clock: HistoryWriterClock = {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        sleeps.push({ ms, wake: resolve });
        signal.addEventListener('abort', () => resolve());
      }),
  };
  return {
    clock,
    sleeps,
    advance(ms: number) {
      now += ms;
    },
    /** Ends the latest sleep, moving the clock by its length. */
    wakeLast() {
      const last = sleeps.at(-1)!;
      now += last.ms;
      last.wake();
    },
  };
}

let writer: HistoryWriter | undefined;
afterEach(async () => {
  await writer?.stop();
  writer = undefined;
});

function setUp(batchEntries = 2) {
  const outbox = createMemoryHistoryOutbox({ maxEntries: 100 });
  const fake = fakeStore();
  const time = fakeClock();
  const capture = new LogCapture();
  const counted: Array<[string, number]> = [];
  const failures: Array<[string, string]> = [];
  writer = startHistoryWriter({
    outbox,
    store: fake.store,
    logger: pino({ level: 'debug' }, capture),
    batchEntries,
    onRows: (kind, n) => counted.push([kind, n]),
    onFailure: (cause, stage) => failures.push([cause, stage]),
    clock: time.clock,
    blockMs: 5,
  });
  return { outbox, fake, time, capture, counted, failures };
}

const failure = (code: string) => Object.assign(new Error(`connection refused +8613912345678`), { code });

describe('the history writer', () => {
  it('writes in batches of batchEntries and acknowledges each only after its commit', async () => {
    const { outbox, fake, counted } = setUp(2);
    await outbox.append([suppressed(1), suppressed(2), suppressed(3), suppressed(4), suppressed(5)]);
    await vi.waitFor(() => expect(fake.calls).toHaveLength(1));
    expect(fake.calls[0]!.entries.map((entry) => entry.event)).toEqual([suppressed(1), suppressed(2)]);
    // Not committed yet: nothing acknowledged.
    expect((await outbox.stats()).entries).toBe(5);
    fake.calls[0]!.resolve(rows(fake.calls[0]!.entries));
    await vi.waitFor(() => expect(fake.calls).toHaveLength(2));
    expect((await outbox.stats()).entries).toBe(3);
    expect(fake.calls[1]!.entries.map((entry) => entry.event)).toEqual([suppressed(3), suppressed(4)]);
    fake.calls[1]!.resolve(rows(fake.calls[1]!.entries));
    await vi.waitFor(() => expect(fake.calls).toHaveLength(3));
    expect(fake.calls[2]!.entries).toHaveLength(1);
    fake.calls[2]!.resolve(rows(fake.calls[2]!.entries));
    await vi.waitFor(async () => expect((await outbox.stats()).entries).toBe(0));
    expect(counted).toEqual([
      ['suppressed', 2],
      ['suppressed', 2],
      ['suppressed', 1],
    ]);
  });

  it('acknowledges nothing after a failed write, backs off doubling to 5 s, retries, then catches up', async () => {
    const { outbox, fake, time, capture, failures } = setUp(10);
    await outbox.append([suppressed(1), suppressed(2)]);
    let attempts = 0;
    fake.answer((entries) => {
      attempts += 1;
      return attempts <= 8 ? Promise.reject(failure('ECONNREFUSED')) : Promise.resolve(rows(entries));
    });
    const backoffs: number[] = [];
    for (let n = 0; n < 8; n += 1) {
      await vi.waitFor(() => expect(time.sleeps).toHaveLength(n + 1));
      backoffs.push(time.sleeps[n]!.ms);
      // The same entries stay in the outbox, taken again by the next round.
      expect((await outbox.stats()).entries).toBe(2);
      time.wakeLast();
    }
    expect(backoffs).toEqual([200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000]);
    await vi.waitFor(async () => expect((await outbox.stats()).entries).toBe(0));
    expect(attempts).toBe(9);
    expect(failures).toHaveLength(8);
    expect(failures[0]).toEqual(['ECONNREFUSED', 'write']);
    const warnings = capture.entries().filter((line) => line.level === 40);
    // Once at first, again only after a minute of the same cause (the sleeps moved the clock 21.2 s).
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      cause: 'ECONNREFUSED',
      stage: 'write',
      msg: 'history writer failing: ECONNREFUSED',
    });
    expect(capture.text).not.toContain('+8613912345678');
    expect(capture.entries().filter((line) => line.msg === 'history writer caught up')).toHaveLength(1);
  });

  it('logs a lasting cause again at most once a minute; the backoff starts over after a success', async () => {
    const { outbox, fake, time, capture } = setUp(10);
    await outbox.append([suppressed(1)]);
    let failing = true;
    fake.answer((entries) => (failing ? Promise.reject(failure('57P01')) : Promise.resolve(rows(entries))));
    await vi.waitFor(() => expect(time.sleeps).toHaveLength(1));
    time.advance(61_000);
    time.wakeLast();
    await vi.waitFor(() => expect(time.sleeps).toHaveLength(2));
    const warnings = capture.entries().filter((line) => line.level === 40);
    expect(warnings.map((line) => line.msg)).toEqual([
      'history writer failing: 57P01',
      'history writer still failing: 57P01',
    ]);
    failing = false;
    time.wakeLast();
    await vi.waitFor(async () => expect((await outbox.stats()).entries).toBe(0));
    failing = true;
    await outbox.append([suppressed(2)]);
    await vi.waitFor(() => expect(time.sleeps).toHaveLength(3));
    expect(time.sleeps[2]!.ms).toBe(200);
    // A new failure after catching up is logged at once.
    expect(capture.entries().filter((line) => line.level === 40)).toHaveLength(3);
  });

  it('stop() lets the batch in flight commit and be acknowledged, then takes no more', async () => {
    const { outbox, fake } = setUp(2);
    await outbox.append([suppressed(1), suppressed(2), suppressed(3)]);
    await vi.waitFor(() => expect(fake.calls).toHaveLength(1));
    let stopped = false;
    const stopping = writer!.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    fake.calls[0]!.resolve(rows(fake.calls[0]!.entries));
    await stopping;
    expect(fake.calls).toHaveLength(1);
    expect((await outbox.stats()).entries).toBe(1);
    writer = undefined;
  });

  it('stop() during a back-off returns at once', async () => {
    const { outbox, fake, time } = setUp(2);
    await outbox.append([suppressed(1)]);
    fake.answer(() => Promise.reject(failure('ECONNREFUSED')));
    await vi.waitFor(() => expect(time.sleeps).toHaveLength(1));
    await writer!.stop();
    writer = undefined;
    expect((await outbox.stats()).entries).toBe(1);
  });
});

describe('the in-process outbox', () => {
  it('answers the oldest unacknowledged entries, waits for an append, counts what a full queue drops', async () => {
    let now = 1_000;
    const outbox = createMemoryHistoryOutbox({ maxEntries: 3, now: () => now });
    expect(outbox.durable).toBe(false);
    const waiting = outbox.take(10, 5_000);
    now = 2_000;
    await outbox.append([suppressed(1), suppressed(2)]);
    const taken = await waiting;
    expect(taken.map((entry) => [entry.id, entry.event, entry.appendedAt])).toEqual([
      ['1', suppressed(1), 2_000],
      ['2', suppressed(2), 2_000],
    ]);
    now = 3_000;
    await outbox.append([suppressed(3), suppressed(4), suppressed(5)]);
    expect(await outbox.stats()).toEqual({ entries: 3, oldestAt: 2_000, dropped: 2 });
    // Not acknowledged: the same again, oldest first.
    expect((await outbox.take(2, 0)).map((entry) => entry.id)).toEqual(['1', '2']);
    await outbox.ack(['1', '2']);
    expect((await outbox.take(2, 0)).map((entry) => entry.id)).toEqual(['3']);
    expect(await outbox.stats()).toEqual({ entries: 1, oldestAt: 3_000, dropped: 2 });
    await outbox.ack(['3']);
    const started = Date.now();
    expect(await outbox.take(2, 30)).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(await outbox.stats()).toEqual({ entries: 0, oldestAt: undefined, dropped: 2 });
  });
});

describe('messages that arrive erased', () => {
  it('masks their send-log copies before acknowledging; a failed mask acknowledges nothing and retries both', async () => {
    const outbox = createMemoryHistoryOutbox({ maxEntries: 100 });
    const fake = fakeStore();
    const time = fakeClock();
    const erasedOnArrival = [{ messageId: 'm-1', replacement: 'erased:abc' }];
    fake.answer((entries) => Promise.resolve({ ...rows(entries), erasedOnArrival }));
    const masked: unknown[] = [];
    let maskFailures = 1;
    const failures: Array<[string, string]> = [];
    writer = startHistoryWriter({
      outbox,
      store: fake.store,
      logger: pino({ level: 'silent' }),
      batchEntries: 10,
      onRows: () => undefined,
      onFailure: (cause, stage) => failures.push([cause, stage]),
      clock: time.clock,
      blockMs: 5,
      maskErased: async (erased) => {
        if (maskFailures-- > 0) throw Object.assign(new Error('Redis down'), { code: 'ECONNREFUSED' });
        masked.push(erased);
      },
    });
    await outbox.append([suppressed(1)]);
    await vi.waitFor(() => expect(time.sleeps).toHaveLength(1));
    expect(failures).toEqual([['ECONNREFUSED', 'mask']]);
    expect((await outbox.stats()).entries).toBe(1);
    time.wakeLast();
    await vi.waitFor(async () => expect((await outbox.stats()).entries).toBe(0));
    expect(masked).toEqual([erasedOnArrival]);
  });
});
