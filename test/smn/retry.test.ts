import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffMs, DEFAULT_RETRY, maxCallMs, withRetries } from '../../src/smn/retry.js';

describe('the SMN retry policy', () => {
  it('doubles the wait from the base delay', () => {
    expect([1, 2, 3].map((retry) => backoffMs({ limit: 3, baseDelayMs: 100 }, retry))).toEqual([100, 200, 400]);
  });

  it('states the longest call from the same delays: every attempt timing out, plus every wait', () => {
    expect(maxCallMs(DEFAULT_RETRY, 10_000)).toBe(3 * 10_000 + 200 + 400);
    expect(maxCallMs({ limit: 0, baseDelayMs: 500 }, 1_000)).toBe(1_000);
  });
});

const failure = (code: string) => Object.assign(new Error(code), { code });

describe('withRetries: the attempts of one call (fake clock)', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const policy = { limit: 2, baseDelayMs: 100 };

  /** An attempt that fails with `codes` in turn, then answers 'sent'. */
  function attempts(...codes: string[]) {
    const started: number[] = [];
    const attempt = (retryCount: number) => {
      started.push(retryCount);
      const code = codes[retryCount];
      return code === undefined ? Promise.resolve('sent') : Promise.reject(failure(code));
    };
    return { started, attempt };
  }

  it('retries a failure that never left only after its backoff, and answers with the attempt that worked', async () => {
    const { started, attempt } = attempts('ECONNREFUSED', 'ECONNREFUSED');
    const retried: unknown[] = [];
    const call = withRetries(policy, attempt, { onRetry: (retry) => retried.push(retry) });
    await vi.advanceTimersByTimeAsync(99);
    expect(started).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(199);
    expect(started).toEqual([0, 1]);
    await vi.advanceTimersByTimeAsync(1);
    await expect(call).resolves.toBe('sent');
    expect(started).toEqual([0, 1, 2]);
    expect(retried).toEqual([
      { cause: 'ECONNREFUSED', retryCount: 1 },
      { cause: 'ECONNREFUSED', retryCount: 2 },
    ]);
  });

  it('gives up after the limit with the last failure', async () => {
    const { started, attempt } = attempts('ECONNREFUSED', 'EAI_AGAIN', 'EHOSTUNREACH', 'ECONNREFUSED');
    const call = withRetries(policy, attempt);
    const settled = expect(call).rejects.toMatchObject({ code: 'EHOSTUNREACH' });
    await vi.runAllTimersAsync();
    await settled;
    expect(started).toEqual([0, 1, 2]);
  });

  it.each(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ERR_CANCELED'])(
    'never retries %s: the request may have reached SMN',
    async (code) => {
      const { started, attempt } = attempts(code);
      await expect(withRetries(policy, attempt)).rejects.toMatchObject({ code });
      expect(started).toEqual([0]);
      expect(vi.getTimerCount()).toBe(0);
    },
  );

  it('with a limit of 0 makes one attempt', async () => {
    const { started, attempt } = attempts('ECONNREFUSED');
    await expect(withRetries({ limit: 0, baseDelayMs: 100 }, attempt)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(started).toEqual([0]);
  });
});
