import { DateTime } from 'luxon';
import { ResultCode } from '../error-codes.js';
import { failClosed } from '../errors/fail-closed.js';
import { inSpan } from '../observability/tracing.js';
import type { DailyCounterStore } from './daily-counter-store.js';
import type { OptOutStore } from './opt-out-store.js';

/** Why a number was held back: the `SmsFailed.code` it gets. */
export type HoldReason = typeof ResultCode.OPTED_OUT | typeof ResultCode.DAILY_LIMIT_REACHED;

export interface DailyLimit {
  readonly store: DailyCounterStore;
  /** Most accepted messages per number per day; 0 means no limit. */
  readonly limit: number;
  /** The IANA zone whose calendar days are counted. */
  readonly zone: string;
}

export interface SuppressionRules {
  readonly optOuts: OptOutStore;
  readonly daily?: DailyLimit | undefined;
}

/** A batch after the rules: what may go to SMN, what is held back and why (canonical numbers). */
export interface Screened {
  readonly toSend: readonly string[];
  readonly held: ReadonlyMap<string, HoldReason>;
  /** Gives back the daily sends taken for these numbers (they did not reach a phone). Never throws. */
  release(endpoints: readonly string[]): Promise<void>;
}

export function calendarDay(now: Date, zone: string): string {
  return DateTime.fromJSDate(now, { zone }).toISODate() ?? now.toISOString().slice(0, 10);
}

/**
 * Holds back the numbers of a batch (canonical, unique: see `canonicalNumber`) that opted out under
 * `tenant`, then reserves the day's send for each of the rest, holding back those over the daily
 * limit. One round trip to each store, whatever the batch size.
 */
export async function screen(
  rules: SuppressionRules,
  tenant: string,
  numbers: readonly string[],
  now: Date,
  onReleaseError: (error: unknown) => void,
): Promise<Screened> {
  const optedOut = await inSpan('policy.opt_outs', {}, () => failClosed(() => rules.optOuts.find(tenant, numbers)));
  const held = new Map<string, HoldReason>();
  let candidates: readonly string[] = numbers;
  if (optedOut.size > 0) {
    const kept: string[] = [];
    for (const number of numbers) {
      if (optedOut.has(number)) held.set(number, ResultCode.OPTED_OUT);
      else kept.push(number);
    }
    candidates = kept;
  }
  const daily = rules.daily && rules.daily.limit > 0 ? rules.daily : undefined;
  if (!daily || candidates.length === 0) {
    return { toSend: candidates, held, release: () => Promise.resolve() };
  }
  const day = calendarDay(now, daily.zone);
  const taken = await inSpan('policy.daily_limit', {}, () =>
    failClosed(() => daily.store.reserve(day, candidates, daily.limit)),
  );
  const toSend: string[] = [];
  candidates.forEach((number, index) => {
    if (taken[index]) toSend.push(number);
    else held.set(number, ResultCode.DAILY_LIMIT_REACHED);
  });
  const reserved = new Set(toSend);
  return {
    toSend,
    held,
    release: async (given) => {
      const released = given.filter((number) => reserved.has(number));
      if (released.length === 0) return;
      await daily.store.release(day, released).catch(onReleaseError);
    },
  };
}
