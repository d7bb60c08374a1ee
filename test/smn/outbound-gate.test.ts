import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../src/error-codes.js';
import { PolicyError } from '../../src/errors/policy-error.js';
import type { SmnCatalogPort, SmnPromotionPort } from '../../src/smn/client.js';
import { createOutboundGate, gatedCatalog, type OutboundGateOptions } from '../../src/smn/outbound-gate.js';
import type { SmnPromotionResponse } from '../../src/smn/wire.js';

/**
 * The outbound gate toward SMN, with fake timers: calls per second, calls in flight, the bounded
 * wait queue and its timeout. The SMN port is a fake whose calls stay in flight until answered.
 */

/** An SMN port whose calls are recorded when they start and answered when the test says. */
function heldSmn() {
  const started: string[] = [];
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
  return {
    port,
    started,
    answer: (id: string) => {
      pending.get(id)!();
      pending.delete(id);
    },
  };
}

const send = (gate: SmnPromotionPort, id: string) => gate.publishPromotion({ endpoints: [id], smsTemplateId: 't' });

function gate(options: Partial<OutboundGateOptions> = {}) {
  const smn = heldSmn();
  const outbound = createOutboundGate(smn.port, {
    callsPerSecond: 100,
    concurrentCalls: 100,
    queuedCalls: 100,
    queueTimeoutMs: 5_000,
    ...options,
  });
  return { smn, outbound };
}

/** What a call settled with, or 'pending'; a refusal is read as its PolicyError. */
function settle<T>(promise: Promise<T>) {
  const state: { value: 'pending' | T | PolicyError } = { value: 'pending' };
  promise.then(
    (value) => (state.value = value),
    (error: unknown) => (state.value = error as PolicyError),
  );
  return state;
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-03-02T10:00:00.000Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the outbound gate', () => {
  it('starts at most callsPerSecond calls per second; the rest start in the next second', async () => {
    const { smn, outbound } = gate({ callsPerSecond: 3 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) void send(outbound, id);
    await vi.advanceTimersByTimeAsync(0);
    expect(smn.started).toEqual(['a', 'b', 'c']);
    await vi.advanceTimersByTimeAsync(999);
    expect(smn.started).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(smn.started).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('keeps at most concurrentCalls in flight: the next starts when one is answered, with its answer', async () => {
    const { smn, outbound } = gate({ concurrentCalls: 2 });
    const calls = ['a', 'b', 'c'].map((id) => settle(send(outbound, id)));
    await vi.advanceTimersByTimeAsync(0);
    expect(smn.started).toEqual(['a', 'b']);
    smn.answer('b');
    await vi.advanceTimersByTimeAsync(0);
    expect(calls[1]!.value).toEqual({ request_id: 'r-b', result: [{ endpoint: 'b', message_id: 'm-b' }] });
    expect(smn.started).toEqual(['a', 'b', 'c']);
    expect(calls[0]!.value).toBe('pending');
  });

  it('the wait queue is bounded: one call past it is refused RATE_LIMITED at once, never sent', async () => {
    const { smn, outbound } = gate({ concurrentCalls: 1, queuedCalls: 1 });
    void send(outbound, 'in-flight');
    await vi.advanceTimersByTimeAsync(0);
    const waiting = settle(send(outbound, 'waiting'));
    const refused = settle(send(outbound, 'refused'));
    await vi.advanceTimersByTimeAsync(0);
    expect(refused.value).toBeInstanceOf(PolicyError);
    expect(refused.value).toMatchObject({
      code: ErrorCode.RATE_LIMITED,
      details: { retryAfterSeconds: 1, limit: 'outbound' },
    });
    expect(waiting.value).toBe('pending');
    smn.answer('in-flight');
    await vi.advanceTimersByTimeAsync(0);
    expect(smn.started).toEqual(['in-flight', 'waiting']);
  });

  it('a call that waits longer than queueTimeoutMs is refused RATE_LIMITED and never sent later', async () => {
    const { smn, outbound } = gate({ concurrentCalls: 1, queueTimeoutMs: 2_000 });
    void send(outbound, 'slow');
    const waiting = settle(send(outbound, 'waiting'));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(waiting.value).toBe('pending');
    await vi.advanceTimersByTimeAsync(1);
    expect(waiting.value).toMatchObject({ code: ErrorCode.RATE_LIMITED, details: { limit: 'outbound' } });
    expect((waiting.value as PolicyError).message).toMatch(/within 2000 ms; nothing was sent/);
    smn.answer('slow');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(smn.started).toEqual(['slow']);
  });

  it('a call that has started is never abandoned by the gate, however long SMN takes', async () => {
    const { smn, outbound } = gate({ queueTimeoutMs: 1_000 });
    const call = settle(send(outbound, 'a'));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(call.value).toBe('pending');
    smn.answer('a');
    await vi.advanceTimersByTimeAsync(0);
    expect(call.value).toMatchObject({ request_id: 'r-a' });
  });

  it('maxCallMs: the longest wait for a slot, then the longest call', () => {
    expect(gate({ queueTimeoutMs: 5_000 }).outbound.maxCallMs).toBe(35_000);
  });

  it('catalog reads go through the same gate: they share its slots and are refused the same way', async () => {
    const { smn, outbound } = gate({ concurrentCalls: 1, queuedCalls: 1 });
    const catalogCalls: string[] = [];
    const port: SmnCatalogPort = {
      templates: () => {
        catalogCalls.push('templates');
        return Promise.resolve({ count: 0, templates: [] });
      },
      template: () => Promise.resolve(undefined),
      signs: () => Promise.resolve([]),
    };
    const catalog = gatedCatalog(outbound, port);
    void send(outbound, 'in-flight');
    await vi.advanceTimersByTimeAsync(0);
    // A catalog read takes the one waiting place: a send behind it is refused.
    const read = settle(catalog.templates({ offset: 0, limit: 10 }));
    await expect(send(outbound, 'refused')).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED });
    // And with the place taken by a send, a catalog read is refused.
    smn.answer('in-flight');
    await vi.advanceTimersByTimeAsync(0);
    expect(read.value).toEqual({ count: 0, templates: [] });
    void send(outbound, 'in-flight-2');
    await vi.advanceTimersByTimeAsync(0);
    void send(outbound, 'waiting');
    await expect(catalog.templates({ offset: 0, limit: 10 })).rejects.toMatchObject({
      code: ErrorCode.RATE_LIMITED,
    });
    expect(catalogCalls).toEqual(['templates']);
    expect(smn.started).toEqual(['in-flight', 'in-flight-2']);
  });
});
