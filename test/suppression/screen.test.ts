import { describe, expect, it } from 'vitest';
import { ErrorCode, ResultCode } from '../../src/error-codes.js';
import { createMemoryDailyCounterStore } from '../../src/state/memory-daily-counter-store.js';
import { createMemoryOptOutStore } from '../../src/state/memory-opt-out-store.js';
import type { DailyCounterStore } from '../../src/suppression/daily-counter-store.js';
import type { OptOutStore } from '../../src/suppression/opt-out-store.js';
import { calendarDay, screen, type SuppressionRules } from '../../src/suppression/screen.js';

/** screen(): the opt-out list, then the per-number daily limit, over the in-memory stores. */

const A = '+8613800000001';
const B = '+8613800000002';
const C = '+8613800000003';
const NOON = new Date('2026-03-02T04:00:00.000Z'); // 12:00 in Shanghai
const ZONE = 'Asia/Shanghai';
const RECORD = { source: 'MANUAL' as const, since: '2026-03-01T00:00:00.000Z' };
const noReleaseError = (error: unknown) => {
  throw new Error(`release failed unexpectedly: ${String(error)}`);
};

/** The in-memory stores, counting the calls each gets (one round trip per store is the promise). */
function stores() {
  const optOutStore = createMemoryOptOutStore();
  const dailyStore = createMemoryDailyCounterStore();
  const calls = { find: 0, reserve: 0, release: 0 };
  const optOuts: OptOutStore = {
    ...optOutStore,
    find: (...args) => {
      calls.find += 1;
      return optOutStore.find(...args);
    },
  };
  const counts: DailyCounterStore = {
    reserve: (...args) => {
      calls.reserve += 1;
      return dailyStore.reserve(...args);
    },
    release: (...args) => {
      calls.release += 1;
      return dailyStore.release(...args);
    },
  };
  return { optOutStore, dailyStore, optOuts, counts, calls };
}

describe('screen: the opt-out list', () => {
  it("holds back the tenant's opted-out numbers as OPTED_OUT; the rest go, in order", async () => {
    const s = stores();
    await s.optOutStore.add('acme', [B], RECORD);
    const screened = await screen({ optOuts: s.optOuts }, 'acme', [A, B, C], NOON, noReleaseError);
    expect(screened.toSend).toEqual([A, C]);
    expect([...screened.held]).toEqual([[B, ResultCode.OPTED_OUT]]);
    expect(s.calls.find).toBe(1);
  });

  it("another tenant's opt-out holds nothing back", async () => {
    const s = stores();
    await s.optOutStore.add('globex', [A], RECORD);
    const screened = await screen({ optOuts: s.optOuts }, 'acme', [A, B], NOON, noReleaseError);
    expect(screened.toSend).toEqual([A, B]);
    expect(screened.held.size).toBe(0);
  });
});

describe('screen: the per-number daily limit', () => {
  const rules = (s: ReturnType<typeof stores>, limit: number): SuppressionRules => ({
    optOuts: s.optOuts,
    daily: { store: s.counts, limit, zone: ZONE },
  });

  it('reserves one send per number; past the limit a number is held back as DAILY_LIMIT_REACHED', async () => {
    const s = stores();
    await screen(rules(s, 2), 'acme', [A, B], NOON, noReleaseError);
    await screen(rules(s, 2), 'acme', [A], NOON, noReleaseError);
    const third = await screen(rules(s, 2), 'acme', [A, B, C], NOON, noReleaseError);
    expect(third.toSend).toEqual([B, C]);
    expect([...third.held]).toEqual([[A, ResultCode.DAILY_LIMIT_REACHED]]);
    // One round trip per store, whatever the batch size.
    expect(s.calls).toEqual({ find: 3, reserve: 3, release: 0 });
  });

  it('counts calendar days in the configured zone: a new day there is a new count', async () => {
    const s = stores();
    const lateEvening = new Date('2026-03-02T15:59:00.000Z'); // 23:59 in Shanghai
    const afterMidnight = new Date('2026-03-02T16:00:00.000Z'); // 00:00 the next day there
    expect(calendarDay(lateEvening, ZONE)).toBe('2026-03-02');
    expect(calendarDay(afterMidnight, ZONE)).toBe('2026-03-03');
    await screen(rules(s, 1), 'acme', [A], lateEvening, noReleaseError);
    expect((await screen(rules(s, 1), 'acme', [A], lateEvening, noReleaseError)).toSend).toEqual([]);
    expect((await screen(rules(s, 1), 'acme', [A], afterMidnight, noReleaseError)).toSend).toEqual([A]);
  });

  it('opted-out numbers take no daily send; a batch of only opted-out numbers asks the counter nothing', async () => {
    const s = stores();
    await s.optOutStore.add('acme', [A, B], RECORD);
    const screened = await screen(rules(s, 1), 'acme', [A, B], NOON, noReleaseError);
    expect(screened.toSend).toEqual([]);
    expect(s.calls.reserve).toBe(0);
    await s.optOutStore.remove('acme', [A]);
    expect((await screen(rules(s, 1), 'acme', [A], NOON, noReleaseError)).toSend).toEqual([A]);
  });

  it('limit 0 is no limit: nothing reserved', async () => {
    const s = stores();
    for (let n = 0; n < 5; n++)
      expect((await screen(rules(s, 0), 'acme', [A], NOON, noReleaseError)).toSend).toEqual([A]);
    expect(s.calls.reserve).toBe(0);
  });

  it('release gives back the sends of numbers that did not reach a phone, and only numbers it reserved', async () => {
    const s = stores();
    await s.optOutStore.add('acme', [C], RECORD);
    const first = await screen(rules(s, 1), 'acme', [A, B, C], NOON, noReleaseError);
    // A was not sent after all; C was held back (never reserved); a stranger was never in the batch.
    await first.release([A, C, '+8613899999999']);
    expect(s.calls.release).toBe(1);
    const second = await screen(rules(s, 1), 'acme', [A, B], NOON, noReleaseError);
    expect(second.toSend).toEqual([A]);
    expect([...second.held]).toEqual([[B, ResultCode.DAILY_LIMIT_REACHED]]);
    // Nothing reserved among them: no call at all.
    await second.release([B]);
    expect(s.calls.release).toBe(1);
  });

  it('a release that fails is reported, never thrown', async () => {
    const s = stores();
    const failing: SuppressionRules = {
      optOuts: s.optOuts,
      daily: {
        store: { reserve: s.counts.reserve, release: () => Promise.reject(new Error('redis down')) },
        limit: 1,
        zone: ZONE,
      },
    };
    const reported: unknown[] = [];
    const screened = await screen(failing, 'acme', [A], NOON, (error) => reported.push(error));
    await expect(screened.release([A])).resolves.toBeUndefined();
    expect(reported).toEqual([new Error('redis down')]);
  });
});

describe('screen: a store out of reach fails closed', () => {
  it('the opt-out list unreadable: STATE_UNAVAILABLE, no daily send taken', async () => {
    const s = stores();
    const rules: SuppressionRules = {
      optOuts: { ...s.optOuts, find: () => Promise.reject(new Error('redis down')) },
      daily: { store: s.counts, limit: 1, zone: ZONE },
    };
    await expect(screen(rules, 'acme', [A], NOON, noReleaseError)).rejects.toMatchObject({
      code: ErrorCode.STATE_UNAVAILABLE,
    });
    expect(s.calls.reserve).toBe(0);
  });

  it('the daily counts unreachable: STATE_UNAVAILABLE', async () => {
    const s = stores();
    const rules: SuppressionRules = {
      optOuts: s.optOuts,
      daily: { store: { ...s.counts, reserve: () => Promise.reject(new Error('redis down')) }, limit: 1, zone: ZONE },
    };
    await expect(screen(rules, 'acme', [A], NOON, noReleaseError)).rejects.toMatchObject({
      code: ErrorCode.STATE_UNAVAILABLE,
    });
  });
});
