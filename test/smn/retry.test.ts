import { describe, expect, it } from 'vitest';
import { backoffMs, DEFAULT_RETRY, maxCallMs } from '../../src/smn/retry.js';

describe('the SMN retry policy', () => {
  it('doubles the wait from the base delay', () => {
    expect([1, 2, 3].map((retry) => backoffMs({ limit: 3, baseDelayMs: 100 }, retry))).toEqual([100, 200, 400]);
  });

  it('states the longest call from the same delays: every attempt timing out, plus every wait', () => {
    expect(maxCallMs(DEFAULT_RETRY, 10_000)).toBe(3 * 10_000 + 200 + 400);
    expect(maxCallMs({ limit: 0, baseDelayMs: 500 }, 1_000)).toBe(1_000);
  });
});
