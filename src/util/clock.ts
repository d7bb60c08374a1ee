/**
 * The one shape of injected time: every part that reads the time takes a `Clock` (tests pass a
 * fixed or movable one). Real time for timers and queue delays (`setTimeout`, a job's delay) stays
 * `Date.now()`: a clock a test moves must not make the process wait longer or shorter.
 */
export interface Clock {
  now(): Date;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => new Date() };

/** A clock standing still at `at` (an instant, epoch milliseconds, or an ISO 8601 string). */
export function fixedClock(at: Date | number | string): Clock {
  const instant = new Date(at);
  return { now: () => new Date(instant) };
}
