import { describe, expect, it, vi } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import { PolicyError } from '../../src/errors/policy-error.js';
import { SmnError } from '../../src/smn/errors.js';
import { requestHash, withIdempotency } from '../../src/send/idempotent-publish.js';
import type { IdempotencyStore } from '../../src/send/idempotency-store.js';
import { createMemoryIdempotencyStore } from '../../src/state/memory-idempotency-store.js';
import type { PromotionSmsCommand, PromotionSmsReport } from '../../src/send/publish.js';
import { SUBMITTED } from '../../src/send/send-log.js';
import { SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';

const command: PromotionSmsCommand = {
  endpoints: [SIMULATOR_NUMBERS.delivered],
  smsTemplateId: 'tpl',
  idempotencyKey: 'k-1',
};
const alice: Caller = { sub: 'alice', scopes: new Set() };
const bob: Caller = { sub: 'bob', scopes: new Set() };

function report(requestId: string): PromotionSmsReport {
  return {
    requestId,
    results: [
      {
        status: 'sent',
        endpoint: SIMULATOR_NUMBERS.delivered,
        messageId: `m-${requestId}`,
        requestId,
        smsTemplateId: 'tpl',
        submittedAt: new Date('2026-11-27T10:00:00Z'),
        delivery: SUBMITTED,
      },
    ],
    sentCount: 1,
    failedCount: 0,
    duplicatesRemoved: 0,
    suppressedCount: 0,
    replayed: false,
  };
}

/** A send the test finishes by hand, so "still in flight" lasts exactly as long as the test says. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** A store that counts claims: a request that has claimed is either sending or waiting on the first. */
function countingClaims(store: IdempotencyStore) {
  let claims = 0;
  const counted: IdempotencyStore = {
    claim: (...args) => {
      claims += 1;
      return store.claim(...args);
    },
    get: (...args) => store.get(...args),
    complete: (...args) => store.complete(...args),
    release: (...args) => store.release(...args),
  };
  return { store: counted, claims: () => claims };
}

function harness(
  behaviour: (call: number) => Promise<PromotionSmsReport>,
  options: { waitMs?: number; store?: IdempotencyStore; ttlMs?: number; longestSendMs?: number } = {},
) {
  let calls = 0;
  const publish = withIdempotency(
    () => {
      calls += 1;
      return behaviour(calls);
    },
    {
      store:
        options.store ??
        createMemoryIdempotencyStore({ maxEntries: 100, maxBytes: 1_000_000, ttlMs: options.ttlMs ?? 60_000 }),
      ttlMs: options.ttlMs ?? 60_000,
      ...(options.longestSendMs !== undefined && { longestSendMs: options.longestSendMs }),
      waitMs: options.waitMs ?? 2_000,
      pollMs: 5,
    },
  );
  return { publish, calls: () => calls };
}

describe('idempotency keys', () => {
  it('replays the stored report for the same key and input, sending once', async () => {
    const { publish, calls } = harness(async (call) => report(`r${call}`));
    const first = await publish(command, { caller: alice });
    const again = await publish(command, { caller: alice });
    expect(first.replayed).toBe(false);
    expect(again).toEqual({ ...first, replayed: true });
    expect(again.results[0]).toMatchObject({ submittedAt: new Date('2026-11-27T10:00:00Z') });
    expect(calls()).toBe(1);
  });

  it('refuses the same key with a different input (endpoints compared before de-duplication)', async () => {
    const { publish, calls } = harness(async (call) => report(`r${call}`));
    await publish(command, { caller: alice });
    const changed = { ...command, endpoints: [...command.endpoints, ...command.endpoints] };
    await expect(publish(changed, { caller: alice })).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(calls()).toBe(1);
    expect(requestHash(changed)).not.toBe(requestHash(command));
  });

  it('scopes keys to the caller: two callers may use the same key', async () => {
    const { publish, calls } = harness(async (call) => report(`r${call}`));
    await publish(command, { caller: alice });
    expect((await publish(command, { caller: bob })).replayed).toBe(false);
    expect(calls()).toBe(2);
  });

  it('makes concurrent requests with one key wait for the first result instead of sending', async () => {
    const sending = gate();
    const { store, claims } = countingClaims(
      createMemoryIdempotencyStore({ maxEntries: 100, maxBytes: 1_000_000, ttlMs: 60_000 }),
    );
    const { publish, calls } = harness(
      async (call) => {
        await sending.opened;
        return report(`r${call}`);
      },
      { store },
    );
    const pending = Promise.all(Array.from({ length: 20 }, () => publish(command, { caller: alice })));
    // All twenty have claimed while the first is still sending: the other nineteen found its claim.
    await vi.waitFor(() => {
      expect(claims()).toBe(20);
      expect(calls()).toBe(1);
    });
    sending.open();
    const answers = await pending;
    expect(calls()).toBe(1);
    expect(answers.filter((answer) => !answer.replayed)).toHaveLength(1);
    expect(new Set(answers.map((answer) => answer.requestId))).toEqual(new Set(['r1']));
  });

  it('keeps a claim for as long as a send can take, even when the key TTL is shorter', async () => {
    const sending = gate();
    let now = Date.parse('2026-11-27T10:00:00Z');
    const store = createMemoryIdempotencyStore({
      maxEntries: 100,
      maxBytes: 1_000_000,
      ttlMs: 50,
      clock: { now: () => new Date(now) },
    });
    const { publish, calls } = harness(
      async (call) => {
        await sending.opened;
        return report(`r${call}`);
      },
      { store, ttlMs: 50, longestSendMs: 5_000, waitMs: 2_000 },
    );
    const first = publish(command, { caller: alice });
    await vi.waitFor(() => expect(calls()).toBe(1));
    // The send has run well past the key TTL (50 ms) but not past the longest a send can take.
    now += 4_000;
    const second = publish(command, { caller: alice });
    sending.open();
    expect((await second).replayed).toBe(true);
    expect((await first).replayed).toBe(false);
    expect(calls()).toBe(1);
  });

  it('answers UNKNOWN (replayed), never a send, when the first does not finish within the wait', async () => {
    const { publish, calls } = harness(() => new Promise(() => undefined), { waitMs: 100 });
    void publish(command, { caller: alice });
    await vi.waitFor(() => expect(calls()).toBe(1));
    // waitMs (100 ms of real time) is the code's own deadline under test, not a test sleep.
    const waited = await publish(command, { caller: alice }).catch((error: unknown) => error);
    expect(waited).toMatchObject({ kind: 'unavailable', delivery: 'UNKNOWN' });
    expect((waited as SmnError).replayed).toBe(true);
    expect(calls()).toBe(1);
  });

  it('stores SMN rejections and UNKNOWN failures and replays them, marked replayed', async () => {
    const rejection = new SmnError('The SMS template does not exist.', {
      kind: 'rejected',
      delivery: 'NOT_SENT',
      httpStatus: 404,
      code: 'SMN.0162',
      requestId: 'smn-rid',
    });
    const { publish, calls } = harness(() => Promise.reject(rejection));
    await expect(publish(command, { caller: alice })).rejects.toBe(rejection);
    const replayed = await publish(command, { caller: alice }).catch((error: unknown) => error);
    expect(replayed).toMatchObject({ code: 'SMN.0162', httpStatus: 404 });
    expect((replayed as SmnError).replayed).toBe(true);
    expect(rejection.replayed).toBe(false);
    expect(calls()).toBe(1);

    const unknown = new SmnError('timed out', { kind: 'unavailable', delivery: 'UNKNOWN', causeCode: 'ETIMEDOUT' });
    const ambiguous = harness(() => Promise.reject(unknown));
    await expect(ambiguous.publish(command, { caller: alice })).rejects.toBe(unknown);
    const again = await ambiguous.publish(command, { caller: alice }).catch((error: unknown) => error);
    expect(again).toMatchObject({ delivery: 'UNKNOWN' });
    expect((again as SmnError).replayed).toBe(true);
    expect(ambiguous.calls()).toBe(1);
  });

  it('does not store NOT_SENT failures or our own refusals: a retry with the key may send', async () => {
    const failures = [
      new SmnError('throttled', { kind: 'rate-limited', delivery: 'NOT_SENT', httpStatus: 429 }),
      new PolicyError('RATE_LIMITED', 'quota'),
    ];
    const { publish, calls } = harness(async (call) => {
      const failure = failures[call - 1];
      if (failure) throw failure;
      return report(`r${call}`);
    });
    await expect(publish(command, { caller: alice })).rejects.toBe(failures[0]);
    await expect(publish(command, { caller: alice })).rejects.toBe(failures[1]);
    expect((await publish(command, { caller: alice })).replayed).toBe(false);
    expect(calls()).toBe(3);
  });

  it('fails closed with STATE_UNAVAILABLE when the store is out of reach, sending nothing', async () => {
    const down: IdempotencyStore = {
      claim: () => Promise.reject(new Error('ECONNREFUSED')),
      get: () => Promise.reject(new Error('ECONNREFUSED')),
      complete: () => Promise.reject(new Error('ECONNREFUSED')),
      release: () => Promise.reject(new Error('ECONNREFUSED')),
    };
    const { publish, calls } = harness(async () => report('r'), { store: down });
    await expect(publish(command, { caller: alice })).rejects.toMatchObject({ code: 'STATE_UNAVAILABLE' });
    expect(calls()).toBe(0);
  });

  it('passes requests without a key straight through', async () => {
    const { publish, calls } = harness(async (call) => report(`r${call}`));
    const { idempotencyKey: _none, ...unkeyed } = command;
    await publish(unkeyed, { caller: alice });
    await publish(unkeyed, { caller: alice });
    expect(calls()).toBe(2);
  });
});
