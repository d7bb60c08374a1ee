import { describe, expect, it, vi } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import { ErrorCode } from '../../src/error-codes.js';
import { sentEvents, type HistoryEvent } from '../../src/history/events.js';
import {
  createHistory,
  deliveryRate,
  HISTORY_OFF,
  HistoryDisabled,
  HistoryRefusal,
  type History,
} from '../../src/history/history.js';
import { createLogger } from '../../src/observability/logger.js';
import type { SentMessage } from '../../src/send/send-log.js';
import { fixedClock } from '../../src/util/clock.js';
import { LogCapture } from '../helpers/log-capture.js';
import { createMemoryHistoryStore, type MemoryHistoryStore } from '../helpers/memory-history-store.js';

const ACME: Caller = { sub: 'alice', tenant: 'acme', scopes: new Set() };
const ACME_COLLEAGUE: Caller = { sub: 'carol', tenant: 'acme', scopes: new Set() };
const GLOBEX: Caller = { sub: 'bob', tenant: 'globex', scopes: new Set() };
const NO_TENANT: Caller = { sub: 'dave', scopes: new Set() };

const NOW = new Date('2026-12-05T12:00:00Z');
const HOUR = 3_600_000;
const SEND_LOG_TTL_MS = 7 * 24 * HOUR;
const NUMBER = '+8613912345678';

let entryId = 0;
async function write(store: MemoryHistoryStore, ...events: HistoryEvent[]) {
  await store.write(events.map((event) => ({ id: `e-${++entryId}`, event, appendedAt: Date.now() })));
}

function message(overrides: Partial<SentMessage> & Pick<SentMessage, 'messageId'>): SentMessage {
  return {
    endpoint: NUMBER,
    requestId: 'req-1',
    smsTemplateId: 'tpl-a',
    submittedAt: new Date(NOW.getTime() - HOUR),
    sentBy: { sub: 'alice', tenant: 'acme' },
    ...overrides,
  };
}

function world(options: { maskEndpoint?: (ids: readonly string[], replacement: string) => Promise<number> } = {}) {
  const store = createMemoryHistoryStore();
  const maskEndpoint = vi.fn(options.maskEndpoint ?? ((ids: readonly string[]) => Promise.resolve(ids.length)));
  const onErase = vi.fn();
  const history = createHistory({
    store,
    sendLog: { maskEndpoint },
    sendLogTtlMs: SEND_LOG_TTL_MS,
    cursorKey: 'a cursor key of at least thirty-two characters',
    clock: fixedClock(NOW),
    onErase,
  });
  const logs = new LogCapture();
  const logger = createLogger({ level: 'info', destination: logs });
  return { store, history, maskEndpoint, onErase, logs, logger };
}

/** `count` ACME messages of req-1, one a minute back from an hour ago: m-00 newest. */
async function acmeMessages(store: MemoryHistoryStore, count: number) {
  const messages = Array.from({ length: count }, (_, index) =>
    message({
      messageId: `m-${String(index).padStart(2, '0')}`,
      submittedAt: new Date(NOW.getTime() - HOUR - index * 60_000),
    }),
  );
  await write(store, ...sentEvents(messages));
  return messages;
}

async function refusal(promise: Promise<unknown>): Promise<HistoryRefusal> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HistoryRefusal);
  return error as HistoryRefusal;
}

describe('the history use case: filters', () => {
  it('needs endpoint, requestId, campaignId, or a range of at most 31 days; nothing is read otherwise', async () => {
    const { history, store } = world();
    const day = 24 * HOUR;
    const notEnough = [
      {},
      { smsTemplateId: 'tpl-a' },
      { statuses: ['DELIVERED' as const] },
      { from: new Date(NOW.getTime() - day) },
      { to: NOW },
      { from: new Date(NOW.getTime() - 32 * day), to: NOW },
    ];
    for (const filter of notEnough) {
      const refused = await refusal(history.messages(ACME, { ...filter, first: 10 }));
      expect(refused).toMatchObject({ field: 'filter', message: expect.stringContaining('31 days') });
    }
    expect(store.calls).toEqual([]);
    for (const filter of [
      { endpoint: '13912345678' },
      { requestId: 'req-1' },
      { campaignId: 'c-1' },
      { from: new Date(NOW.getTime() - 31 * day), to: NOW },
      // A long range is fine with another anchor.
      { endpoint: NUMBER, from: new Date(NOW.getTime() - 300 * day), to: NOW },
    ]) {
      await expect(history.messages(ACME, { ...filter, first: 10 })).resolves.toMatchObject({ edges: [] });
    }
  });

  it('from must be before to; first is 1 to 500; ids are 1 to 256 characters; status not empty', async () => {
    const { history } = world();
    expect(await refusal(history.messages(ACME, { from: NOW, to: NOW, first: 10 }))).toMatchObject({
      field: 'filter.from',
      message: 'must be before filter.to',
    });
    for (const first of [0, 501, 1.5]) {
      expect(await refusal(history.messages(ACME, { requestId: 'r', first }))).toMatchObject({ field: 'first' });
    }
    expect(await refusal(history.messages(ACME, { requestId: 'r'.repeat(257), first: 1 }))).toMatchObject({
      field: 'filter.requestId',
    });
    expect(await refusal(history.messages(ACME, { campaignId: '', first: 1 }))).toMatchObject({
      field: 'filter.campaignId',
    });
    expect(await refusal(history.messages(ACME, { requestId: 'r', statuses: [], first: 1 }))).toMatchObject({
      field: 'filter.status',
    });
  });

  it('reads a number in any spelling, as its canonical form; refuses one that is no number', async () => {
    const { history, store } = world();
    await acmeMessages(store, 2);
    for (const spelling of ['13912345678', '8613912345678', '+8613912345678', '+86013912345678']) {
      const page = await history.messages(ACME, { endpoint: spelling, first: 10 });
      expect(page.edges.map((edge) => edge.node.messageId)).toEqual(['m-00', 'm-01']);
    }
    expect(store.calls.at(-1)).toMatchObject({ method: 'messages', args: [{ endpoint: NUMBER }] });
    for (const bad of ['12345', '+12345', 'not a number', '1'.repeat(5_000)]) {
      expect(await refusal(history.messages(ACME, { endpoint: bad, first: 10 }))).toMatchObject({
        field: 'filter.endpoint',
      });
    }
  });

  it('passes every filter to the store, statuses de-duplicated, one more than asked', async () => {
    const { history, store } = world();
    const from = new Date(NOW.getTime() - 2 * HOUR);
    await history.messages(ACME, {
      campaignId: 'c-1',
      smsTemplateId: 'tpl-a',
      statuses: ['FAILED', 'FAILED', 'EXPIRED'],
      from,
      to: NOW,
      first: 7,
    });
    expect(store.calls).toEqual([
      {
        method: 'messages',
        tenant: 'acme',
        args: [
          {
            endpoint: undefined,
            requestId: undefined,
            campaignId: 'c-1',
            smsTemplateId: 'tpl-a',
            statuses: ['FAILED', 'EXPIRED'],
            from,
            to: NOW,
            after: undefined,
            limit: 8,
          },
        ],
      },
    ]);
  });
});

describe('the history use case: tenants', () => {
  it("another tenant's messages, stats and opt-out changes answer exactly like none", async () => {
    const { history, store } = world();
    await acmeMessages(store, 3);
    await write(store, {
      kind: 'opt-out',
      tenant: 'acme',
      endpoints: [NUMBER],
      action: 'ADDED',
      source: 'MANUAL',
      at: NOW,
      by: 'alice',
    });
    const range = { from: new Date(NOW.getTime() - 24 * HOUR), to: NOW, groupBy: 'DAY' as const };
    expect((await history.messages(ACME_COLLEAGUE, { requestId: 'req-1', first: 10 })).edges).toHaveLength(3);
    expect(await history.stats(ACME, range)).toHaveLength(1);
    expect(await history.optOutChanges(ACME, '13912345678')).toHaveLength(1);
    for (const stranger of [GLOBEX, NO_TENANT]) {
      expect(await history.messages(stranger, { requestId: 'req-1', first: 10 })).toEqual({
        edges: [],
        hasNextPage: false,
        endCursor: undefined,
      });
      expect(await history.stats(stranger, range)).toEqual([]);
      expect(await history.optOutChanges(stranger, NUMBER)).toEqual([]);
    }
  });

  it("erasing in one tenant leaves another tenant's messages of that number alone", async () => {
    const { history, store, logger } = world();
    await acmeMessages(store, 1);
    await write(store, ...sentEvents([message({ messageId: 'g-1', sentBy: { sub: 'bob', tenant: 'globex' } })]));
    expect(await history.erase(GLOBEX, NUMBER, logger)).toEqual({ erasedMessages: 1 });
    expect(store.all('acme')[0]?.endpoint).toBe(NUMBER);
    expect(store.all('globex')[0]?.endpoint).toMatch(/^erased:/);
  });
});

describe('the history use case: pages and cursors', () => {
  it('pages newest first with hasNextPage from one extra row; endCursor reads on; edges have cursors', async () => {
    const { history, store } = world();
    await acmeMessages(store, 7);
    const seen: string[] = [];
    let after: string | undefined;
    for (const expected of [3, 3, 1]) {
      const page = await history.messages(ACME, { requestId: 'req-1', first: 3, after });
      expect(page.edges).toHaveLength(expected);
      expect(page.hasNextPage).toBe(expected === 3);
      expect(page.endCursor).toBe(page.edges.at(-1)?.cursor);
      seen.push(...page.edges.map((edge) => edge.node.messageId));
      after = page.endCursor;
    }
    expect(seen).toEqual(['m-00', 'm-01', 'm-02', 'm-03', 'm-04', 'm-05', 'm-06']);
    // Any edge's cursor reads on from that edge.
    const page = await history.messages(ACME, { requestId: 'req-1', first: 10 });
    const fromEdge = await history.messages(ACME, { requestId: 'req-1', first: 10, after: page.edges[4]!.cursor });
    expect(fromEdge.edges.map((edge) => edge.node.messageId)).toEqual(['m-05', 'm-06']);
    // Past the end: empty, and the cursor given stays the end.
    const end = await history.messages(ACME, { requestId: 'req-1', first: 10, after: page.endCursor });
    expect(end).toEqual({ edges: [], hasNextPage: false, endCursor: page.endCursor });
  });

  it('orders messages of one instant by message id (descending), and pages through them', async () => {
    const { history, store } = world();
    const at = new Date(NOW.getTime() - HOUR);
    await write(store, ...sentEvents(['b', 'd', 'a', 'c'].map((id) => message({ messageId: id, submittedAt: at }))));
    const first = await history.messages(ACME, { requestId: 'req-1', first: 2 });
    const second = await history.messages(ACME, { requestId: 'req-1', first: 2, after: first.endCursor });
    expect([...first.edges, ...second.edges].map((edge) => edge.node.messageId)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('refuses a tampered, foreign, made-up or oversized cursor before reading anything', async () => {
    const { history, store } = world();
    await acmeMessages(store, 3);
    const { endCursor } = await history.messages(ACME, { requestId: 'req-1', first: 1 });
    const cursor = endCursor!;
    const [position, mac] = cursor.split('.') as [string, string];
    const forged = Buffer.from(`${NOW.getTime()}:m-99`).toString('base64url');
    const flipped = `${mac.slice(0, -2)}${mac.at(-2) === 'A' ? 'B' : 'A'}${mac.at(-1)}`;
    const otherKey = createHistory({
      store,
      sendLog: { maskEndpoint: () => Promise.resolve(0) },
      sendLogTtlMs: 1,
      cursorKey: 'another key, as another deployment would have',
    });
    const foreignKey = (await otherKey.messages(ACME, { requestId: 'req-1', first: 1 })).endCursor!;
    const calls = store.calls.length;
    for (const bad of [
      `${forged}.${mac}`,
      `${position}.${flipped}`,
      foreignKey,
      'garbage',
      '',
      `${position}`,
      `${position}.${mac}.${mac}`,
      Buffer.from(`${NOW.getTime()}:m-01`).toString('base64url'),
      'A'.repeat(100_000),
    ]) {
      const refused = await refusal(history.messages(ACME, { requestId: 'req-1', first: 1, after: bad }));
      expect(refused).toMatchObject({ field: 'after', message: 'is not a cursor this field gave' });
    }
    // Another tenant's cursor is no cursor for this one.
    const globex = await refusal(history.messages(GLOBEX, { requestId: 'req-1', first: 1, after: cursor }));
    expect(globex.field).toBe('after');
    expect(store.calls.length).toBe(calls);
    // The genuine one still works.
    expect((await history.messages(ACME, { requestId: 'req-1', first: 1, after: cursor })).edges).toHaveLength(1);
  });
});

describe('the history use case: stats', () => {
  it('counts per bucket with the delivery rate; null when nothing settled', async () => {
    const { history, store } = world();
    const at = new Date('2026-12-04T10:30:00Z');
    await write(
      store,
      ...sentEvents([
        message({ messageId: 'm-1', submittedAt: at }),
        message({ messageId: 'm-2', submittedAt: at }),
        message({ messageId: 'm-3', submittedAt: at }),
        message({ messageId: 'm-4', submittedAt: at }),
        message({ messageId: 'm-5', submittedAt: new Date('2026-12-05T01:00:00Z'), smsTemplateId: 'tpl-b' }),
      ]),
      { kind: 'report', message: message({ messageId: 'm-1', submittedAt: at, delivery: { status: 'DELIVERED' } }) },
      { kind: 'report', message: message({ messageId: 'm-2', submittedAt: at, delivery: { status: 'DELIVERED' } }) },
      { kind: 'report', message: message({ messageId: 'm-3', submittedAt: at, delivery: { status: 'REJECTED' } }) },
      { kind: 'suppressed', tenant: 'acme', at, smsTemplateId: 'tpl-a', count: 4 },
    );
    const rows = await history.stats(ACME, {
      from: new Date('2026-12-04T00:00:00Z'),
      to: new Date('2026-12-06T00:00:00Z'),
      groupBy: 'DAY',
    });
    expect(rows).toEqual([
      {
        key: '2026-12-04T00:00:00.000Z',
        sent: 4,
        delivered: 2,
        undelivered: 1,
        pending: 1,
        unknown: 0,
        suppressed: 4,
        deliveryRate: 2 / 3,
      },
      {
        key: '2026-12-05T00:00:00.000Z',
        sent: 1,
        delivered: 0,
        undelivered: 0,
        pending: 1,
        unknown: 0,
        suppressed: 0,
        deliveryRate: null,
      },
    ]);
    const byTemplate = await history.stats(ACME, {
      from: new Date('2026-12-04T00:00:00Z'),
      to: new Date('2026-12-06T00:00:00Z'),
      groupBy: 'TEMPLATE',
      smsTemplateId: 'tpl-b',
    });
    expect(byTemplate.map((row) => [row.key, row.sent])).toEqual([['tpl-b', 1]]);
    expect(deliveryRate({ delivered: 0, undelivered: 3 })).toBe(0);
    expect(deliveryRate({ delivered: 0, undelivered: 0 })).toBeNull();
  });

  it('from before to, at most 366 days, HOUR at most 31 days', async () => {
    const { history, store } = world();
    const day = 24 * HOUR;
    const back = (days: number) => new Date(NOW.getTime() - days * day);
    expect(await refusal(history.stats(ACME, { from: NOW, to: back(1), groupBy: 'DAY' }))).toMatchObject({
      field: 'from',
      message: 'must be before to',
    });
    expect(await refusal(history.stats(ACME, { from: back(367), to: NOW, groupBy: 'DAY' }))).toMatchObject({
      field: 'to',
    });
    expect(await refusal(history.stats(ACME, { from: back(32), to: NOW, groupBy: 'HOUR' }))).toMatchObject({
      field: 'groupBy',
    });
    expect(store.calls).toEqual([]);
    await expect(history.stats(ACME, { from: back(366), to: NOW, groupBy: 'CAMPAIGN' })).resolves.toEqual([]);
    await expect(history.stats(ACME, { from: back(31), to: NOW, groupBy: 'HOUR' })).resolves.toEqual([]);
  });
});

describe('the history use case: opt-out changes', () => {
  it("a number's changes, oldest first, asked in any spelling", async () => {
    const { history, store } = world();
    const change = (
      action: 'ADDED' | 'REMOVED',
      at: string,
      extra: { source: 'MANUAL' | 'SMS_REPLY'; reason?: string; by?: string },
    ): HistoryEvent => ({ kind: 'opt-out', tenant: 'acme', endpoints: [NUMBER], action, at: new Date(at), ...extra });
    await write(
      store,
      change('REMOVED', '2026-12-02T00:00:00Z', { source: 'MANUAL', by: 'alice' }),
      change('ADDED', '2026-12-01T00:00:00Z', { source: 'SMS_REPLY' }),
      change('ADDED', '2026-12-03T00:00:00Z', { source: 'MANUAL', reason: 'asked by phone', by: 'carol' }),
    );
    expect(await history.optOutChanges(ACME, '13912345678')).toEqual([
      { action: 'ADDED', source: 'SMS_REPLY', at: new Date('2026-12-01T00:00:00Z') },
      { action: 'REMOVED', source: 'MANUAL', at: new Date('2026-12-02T00:00:00Z'), by: 'alice' },
      {
        action: 'ADDED',
        source: 'MANUAL',
        reason: 'asked by phone',
        at: new Date('2026-12-03T00:00:00Z'),
        by: 'carol',
      },
    ]);
    expect(await refusal(history.optOutChanges(ACME, '123'))).toMatchObject({ field: 'endpoint' });
  });
});

describe('the history use case: erasure', () => {
  it('erases in the store with the caller and the send-log window, masks recent ids, logs and counts', async () => {
    const { history, store, maskEndpoint, onErase, logs, logger } = world();
    await acmeMessages(store, 2);
    const old = message({ messageId: 'm-old', submittedAt: new Date(NOW.getTime() - SEND_LOG_TTL_MS - HOUR) });
    await write(store, ...sentEvents([old]));
    await write(store, ...sentEvents([message({ messageId: 'other', endpoint: '+8613800000001' })]));

    expect(await history.erase(ACME, '13912345678', logger)).toEqual({ erasedMessages: 3 });

    expect(store.calls.at(-1)).toEqual({
      method: 'erase',
      tenant: 'acme',
      args: [NUMBER, 'alice', NOW, new Date(NOW.getTime() - SEND_LOG_TTL_MS)],
    });
    const replacement = store.all('acme').find((sent) => sent.messageId === 'm-00')!.endpoint;
    expect(replacement).toMatch(/^erased:[0-9a-f]{32}$/);
    expect(maskEndpoint).toHaveBeenCalledWith(['m-00', 'm-01'], replacement);
    expect(onErase).toHaveBeenCalledWith(3);
    expect(store.all('acme').find((sent) => sent.messageId === 'other')?.endpoint).toBe('+8613800000001');
    const line = logs.entries().find((entry) => entry.msg === 'number erased from the history');
    expect(line).toMatchObject({ action: 'erase', by: 'alice', erasedMessages: 3, maskedInSendLog: 2 });
    // Never the number, in any form (not even masked).
    expect(logs.text).not.toMatch(/13912345678|5678/);
    // Nothing to read under the number any more.
    expect((await history.messages(ACME, { endpoint: NUMBER, first: 10 })).edges).toEqual([]);
  });

  it('a message written after the erasure (late in the outbox) arrives erased', async () => {
    const { history, store, logger } = world();
    await history.erase(ACME, NUMBER, logger);
    await acmeMessages(store, 1);
    expect(store.all('acme')[0]?.endpoint).toMatch(/^erased:/);
  });

  it('with nothing recent, the send log is not asked; a send log that fails fails the call, logged', async () => {
    const quiet = world();
    expect(await quiet.history.erase(ACME, NUMBER, quiet.logger)).toEqual({ erasedMessages: 0 });
    expect(quiet.maskEndpoint).not.toHaveBeenCalled();

    const failing = world({ maskEndpoint: () => Promise.reject(new Error('redis down')) });
    await acmeMessages(failing.store, 1);
    await expect(failing.history.erase(ACME, NUMBER, failing.logger)).rejects.toThrow('redis down');
    expect(failing.logs.entries().some((entry) => entry.level === 50 && entry.erasedMessages === 1)).toBe(true);
    expect(failing.logs.text).not.toContain('12345678');
    expect(failing.onErase).not.toHaveBeenCalled();
  });

  it('refuses a number it cannot read, erasing nothing', async () => {
    const { history, store, logger } = world();
    expect(await refusal(history.erase(ACME, '+1', logger))).toMatchObject({ field: 'endpoint' });
    expect(store.calls).toEqual([]);
  });
});

describe('the history use case: off', () => {
  it.each<[string, History]>([
    [
      'createHistory without a store',
      createHistory({ store: undefined, sendLog: { maskEndpoint: vi.fn() }, sendLogTtlMs: 1, cursorKey: 'k' }),
    ],
    ['HISTORY_OFF', HISTORY_OFF],
  ])('%s: every method is HISTORY_DISABLED, even with bad input', async (_name, history) => {
    expect(history.enabled).toBe(false);
    const logger = createLogger({ level: 'silent' });
    for (const call of [
      history.messages(ACME, { first: 0 }),
      history.stats(ACME, { from: NOW, to: NOW, groupBy: 'HOUR' }),
      history.optOutChanges(ACME, 'nope'),
      history.erase(ACME, NUMBER, logger),
    ]) {
      const error = await call.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(error).toBeInstanceOf(HistoryDisabled);
      expect(error).toMatchObject({
        code: ErrorCode.HISTORY_DISABLED,
        message: 'history is not enabled: set HISTORY_DATABASE_URL',
      });
    }
  });
});
