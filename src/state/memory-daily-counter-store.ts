import type { DailyCounterStore } from '../suppression/daily-counter-store.js';

/**
 * Per-number daily counts for a single replica. Only the two newest days are kept (a send may still
 * release yesterday's reservation just after midnight); older days leave memory as a new one starts.
 */
export function createMemoryDailyCounterStore(): DailyCounterStore {
  const days = new Map<string, Map<string, number>>();
  const countsOf = (day: string) => {
    let counts = days.get(day);
    if (!counts) {
      days.set(day, (counts = new Map()));
      const newest = [...days.keys()].sort().slice(-2);
      for (const known of days.keys()) if (!newest.includes(known)) days.delete(known);
    }
    return counts;
  };
  return {
    reserve(day, numbers, limit) {
      const counts = countsOf(day);
      return Promise.resolve(
        numbers.map((number) => {
          const used = counts.get(number) ?? 0;
          if (used >= limit) return false;
          counts.set(number, used + 1);
          return true;
        }),
      );
    },
    release(day, numbers) {
      const counts = days.get(day);
      for (const number of numbers) {
        const used = counts?.get(number) ?? 0;
        if (used <= 1) counts?.delete(number);
        else counts?.set(number, used - 1);
      }
      return Promise.resolve();
    },
  };
}
