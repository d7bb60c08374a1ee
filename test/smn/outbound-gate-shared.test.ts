import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../src/error-codes.js';
import type { PolicyError } from '../../src/errors/policy-error.js';
import type { SmnPromotionPort } from '../../src/smn/client.js';
import { createOutboundGate, type OutboundGateOptions, type SharedCallRate } from '../../src/smn/outbound-gate.js';
import type { SmnPromotionResponse } from '../../src/smn/wire.js';

/**
 * The outbound gate with a calls-per-second limit that replicas share (Redis in production; here an
 * in-memory fixed window of one second, as RateLimiterRedis keeps it), with fake timers. Several gates
 * over one limit stand for several replicas.
 */

/** A fixed one-second window of `points`, counting every take; `fail()` makes takes reject like a lost Redis. */
function sharedWindow(points: number) {
  let windowEnd = 0;
  let used = 0;
  let failure: Error | undefined;
  let held: Array<() => void> | undefined;
  const counts = { takes: 0 };
  const takeNow = (): number => {
    if (failure) throw failure;
    const now = Date.now();
    if (now >= windowEnd) {
      windowEnd = now + 1000;
      used = 0;
    }
    if (used < points) {
      used += 1;
      return 0;
    }
    return windowEnd - now;
  };
  const rate: SharedCallRate = {
    take: () => {
      counts.takes += 1;
      if (held) {
        const queue = held;
        return new Promise<number>((resolve, reject) =>
          queue.push(() => {
            try {
              resolve(takeNow());
            } catch (error) {
              reject(error as Error);
            }
          }),
        );
      }
      try {
        return Promise.resolve(takeNow());
      } catch (error) {
        return Promise.reject(error as Error);
      }
    },
  };
  return {
    rate,
    counts,
    fail: (error: Error) => (failure = error),
    /** Takes from now on stay unanswered until `release()` (a slow Redis). */
    hold: () => (held = []),
    release: () => {
      const queue = held ?? [];
      held = undefined;
      queue.forEach((answer) => answer());
    },
  };
}

/** An SMN port (one per replica) whose calls are recorded in `started` and answered when the test says. */
function heldSmn(started: string[]) {
  const pending = new Map<string, () => void>();
  const port: SmnPromotionPort & { maxCallMs: number } = {
    maxCallMs: 30_000,
    publishPromotion: (request) => {
      const id = request.endpoints[0]!;
      started.push(id);
      return new Promise<SmnPromotionResponse>((resolve) => {
        pending.set(id, () => resolve({ request_id: `r-${id}`, result: [{ endpoint: id, message_id: `m-${id}` }] }));
      });
    },
  };
  return { port, answer: (id: string) => pending.get(id)!() };
}

const send = (gate: SmnPromotionPort, id: string) => gate.publishPromotion({ endpoints: [id], smsTemplateId: 't' });

/** What a call settled with, or 'pending'; a refusal is read as its PolicyError. */
function settle<T>(promise: Promise<T>) {
  const state: { value: 'pending' | T | PolicyError } = { value: 'pending' };
  promise.then(
    (value) => (state.value = value),
    (error: unknown) => (state.value = error as PolicyError),
  );
  return state;
}

/** A replica: its own gate (own slots and queue) over the shared limit, recording into `started`. */
function replica(shared: SharedCallRate, started: string[], options: Partial<OutboundGateOptions> = {}) {
  const smn = heldSmn(started);
  const gate = createOutboundGate(smn.port, {
    callsPerSecond: 100,
    concurrentCalls: 100,
    queuedCalls: 100,
    queueTimeoutMs: 5_000,
    sharedCallRate: shared,
    ...options,
  });
  return { gate, answer: smn.answer };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-02T10:00:00.000Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the outbound gate with a shared calls-per-second limit', () => {
  it('three replicas together start at most the shared limit per second; the rest start when it renews', async () => {
    const shared = sharedWindow(4);
    const started: string[] = [];
    const replicas = [replica(shared.rate, started), replica(shared.rate, started), replica(shared.rate, started)];
    replicas.forEach((r, n) => ['a', 'b', 'c'].forEach((id) => void send(r.gate, `${id}${n}`)));
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(999);
    expect(started).toHaveLength(4);
    await vi.advanceTimersByTimeAsync(1);
    expect(started).toHaveLength(8);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started.toSorted()).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'c0', 'c1', 'c2']);
  });

  it('a call that gets no shared point within queueTimeoutMs is refused RATE_LIMITED and never sent later', async () => {
    const shared = sharedWindow(1);
    const started: string[] = [];
    const { gate } = replica(shared.rate, started, { queueTimeoutMs: 500 });
    void send(gate, 'first');
    const late = settle(send(gate, 'late'));
    await vi.advanceTimersByTimeAsync(499);
    expect(late.value).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(late.value).toMatchObject({ code: ErrorCode.RATE_LIMITED, details: { limit: 'outbound' } });
    expect((late.value as PolicyError).message).toMatch(/within 500 ms; nothing was sent/);
    const takes = shared.counts.takes;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(started).toEqual(['first']);
    expect(shared.counts.takes).toBe(takes);
  });

  it('a point that arrives after the wait ran out is not used: the call stays refused, never sent', async () => {
    const shared = sharedWindow(10);
    const started: string[] = [];
    const { gate } = replica(shared.rate, started, { queueTimeoutMs: 500 });
    shared.hold();
    const call = settle(send(gate, 'slow-redis'));
    await vi.advanceTimersByTimeAsync(500);
    expect(call.value).toMatchObject({ code: ErrorCode.RATE_LIMITED });
    shared.release();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toEqual([]);
  });

  it('a failing shared store refuses the call STATE_UNAVAILABLE (fail closed), never sent, slot freed', async () => {
    const shared = sharedWindow(10);
    const started: string[] = [];
    const { gate } = replica(shared.rate, started, { concurrentCalls: 1 });
    shared.fail(new Error('Redis connection is not ready'));
    await expect(send(gate, 'refused')).rejects.toMatchObject({
      code: ErrorCode.STATE_UNAVAILABLE,
      details: { retryAfterSeconds: 1 },
    });
    await expect(send(gate, 'refused-too')).rejects.toMatchObject({ code: ErrorCode.STATE_UNAVAILABLE });
    expect(started).toEqual([]);
    expect(shared.counts.takes).toBe(2);
  });

  it('concurrentCalls stays per replica, and a call takes its shared point only once it has a slot', async () => {
    const shared = sharedWindow(100);
    const started: string[] = [];
    const one = replica(shared.rate, started, { concurrentCalls: 1 });
    const other = replica(shared.rate, started, { concurrentCalls: 1 });
    void send(one.gate, 'one-a');
    const waiting = settle(send(one.gate, 'one-b'));
    void send(other.gate, 'other-a');
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['one-a', 'other-a']);
    // one-b waits for one's slot, not for the shared limit: it has taken no point yet.
    expect(shared.counts.takes).toBe(2);
    one.answer('one-a');
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual(['one-a', 'other-a', 'one-b']);
    expect(shared.counts.takes).toBe(3);
    expect(waiting.value).toBe('pending');
  });

  it('a call that started is never abandoned, however long SMN takes', async () => {
    const shared = sharedWindow(1);
    const started: string[] = [];
    const { gate, answer } = replica(shared.rate, started, { queueTimeoutMs: 1_000 });
    const call = settle(send(gate, 'a'));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(call.value).toBe('pending');
    answer('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(call.value).toMatchObject({ request_id: 'r-a' });
  });
});
