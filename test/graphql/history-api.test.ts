import { createServer } from 'node:http';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  EraseEndpointHistoryDocument,
  OptOutHistoryDocument,
  SentSmsDocument,
  SmsHistoryDocument,
  SmsStatsDocument,
} from '../../client/index.js';
import type { Caller } from '../../src/auth/caller.js';
import type { Campaigns } from '../../src/campaigns/campaigns.js';
import type { Webhooks } from '../../src/webhooks/webhooks.js';
import type { Catalog } from '../../src/catalog/catalog.js';
import { loadConfig } from '../../src/config/index.js';
import { ENDPOINT_RULE } from '../../src/graphql/endpoint-rules.js';
import type { RequestContext } from '../../src/graphql/request-context.js';
import { buildFederatedSchema } from '../../src/graphql/schema.js';
import { createApolloServer } from '../../src/graphql/server.js';
import { sentEvents, type HistoryEvent } from '../../src/history/events.js';
import { createHistory, type History } from '../../src/history/history.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { SentMessage } from '../../src/send/send-log.js';
import { createSentMessages } from '../../src/send/sent-messages.js';
import { createOptOuts } from '../../src/suppression/opt-outs.js';
import { fixedClock } from '../../src/util/clock.js';
import { LogCapture } from '../helpers/log-capture.js';
import { createMemoryHistoryStore, type MemoryHistoryStore } from '../helpers/memory-history-store.js';

const ALL = ['sms:read', 'sms:history:read', 'sms:erase'];
const caller = (tenant: string | undefined, scopes = ALL, sub = `${tenant ?? 'none'}-user`): Caller => ({
  sub,
  ...(tenant !== undefined && { tenant }),
  scopes: new Set(scopes),
});
const ACME = caller('acme');
const GLOBEX = caller('globex');

const NOW = new Date('2026-12-05T12:00:00Z');
const NUMBER = '+8613912345678';
const unused = () => Promise.reject(new Error('not part of this test'));

/** The API as the service builds it (federated schema, Apollo with its error formatter and plugins). */
async function apiWith(history: History | undefined, store?: MemoryHistoryStore) {
  const logs = new LogCapture();
  const logger = createLogger({ level: 'info', destination: logs });
  const emptySendLog = {
    find: () => Promise.resolve(undefined),
    findMany: (ids: readonly string[]) => Promise.resolve(ids.map(() => undefined)),
    findRequest: () => Promise.resolve(undefined),
  };
  const schema = await buildFederatedSchema({
    publishPromotionSms: unused,
    sentMessages: createSentMessages(emptySendLog, store),
    deliveryFeed: { subscribe: () => () => undefined },
    optOuts: createOptOuts({ add: unused, remove: unused, find: unused }),
    campaigns: new Proxy({} as Campaigns, { get: () => unused }),
    catalog: new Proxy({} as Catalog, { get: () => unused }),
    webhooks: new Proxy({} as Webhooks, { get: () => unused }),
    ...(history && { history }),
  });
  const config = loadConfig({});
  const server = createApolloServer({
    schema,
    httpServer: createServer(),
    logger,
    production: true,
    graphql: config.graphql,
    auth: config.auth,
    metrics: createMetrics(),
    shutdownTimeoutMs: 1000,
  });
  await server.start();
  async function run<TData, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TData, TVariables>,
    variables: TVariables,
    as: Caller = ACME,
  ) {
    const contextValue: RequestContext = { requestId: 'req-1', caller: as, logger, stats: {}, admission: {} };
    const response = await server.executeOperation<TData, TVariables>(
      { query: print(document), variables },
      { contextValue },
    );
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    const { data, errors } = response.body.singleResult;
    // As a client reads it: JSON (executeOperation hands back the result before it is serialized).
    const json = data ? (JSON.parse(JSON.stringify(data)) as TData) : undefined;
    return { data: json, errors, error: errors?.[0] };
  }
  return { run, logs, stop: () => server.stop() };
}

let entryId = 0;
async function write(store: MemoryHistoryStore, ...events: HistoryEvent[]) {
  await store.write(events.map((event) => ({ id: `e-${++entryId}`, event, appendedAt: 0 })));
}

function message(messageId: string, minutesAgo: number, extra: Partial<SentMessage> = {}): SentMessage {
  return {
    messageId,
    endpoint: NUMBER,
    requestId: 'req-a',
    smsTemplateId: 'tpl-a',
    submittedAt: new Date(NOW.getTime() - minutesAgo * 60_000),
    sentBy: { sub: 'acme-user', tenant: 'acme' },
    ...extra,
  };
}

describe('the history API (GraphQL, through Apollo and the error formatter)', () => {
  const store = createMemoryHistoryStore();
  const maskEndpoint = vi.fn((ids: readonly string[]) => Promise.resolve(ids.length));
  let api: Awaited<ReturnType<typeof apiWith>>;

  beforeAll(async () => {
    const history = createHistory({
      store,
      sendLog: { maskEndpoint },
      sendLogTtlMs: 72 * 3_600_000,
      cursorKey: 'the cursor key of the test deployment, long enough',
      clock: fixedClock(NOW),
    });
    api = await apiWith(history, store);
    await write(
      store,
      ...sentEvents([message('m-1', 10), message('m-2', 20), message('m-3', 30), message('m-4', 40)]),
      { kind: 'report', message: message('m-1', 10, { delivery: { status: 'DELIVERED', carrierCode: 'DELIVRD' } }) },
      { kind: 'report', message: message('m-2', 20, { delivery: { status: 'FAILED', carrierCode: 'UNDELIV' } }) },
      ...sentEvents([message('g-1', 10, { sentBy: { sub: 'globex-user', tenant: 'globex' } })]),
      { kind: 'suppressed', tenant: 'acme', at: new Date(NOW.getTime() - 600_000), smsTemplateId: 'tpl-a', count: 2 },
      {
        kind: 'opt-out',
        tenant: 'acme',
        endpoints: [NUMBER],
        action: 'ADDED',
        source: 'MANUAL',
        reason: 'asked',
        by: 'acme-user',
        at: new Date('2026-12-01T08:00:00Z'),
      },
      {
        kind: 'opt-out',
        tenant: 'acme',
        endpoints: [NUMBER],
        action: 'REMOVED',
        source: 'MANUAL',
        at: new Date('2026-12-02T08:00:00Z'),
      },
    );
  });
  afterAll(() => api.stop());

  it('smsHistory: newest first, any spelling of the number, pages by cursor, nodes beside edges', async () => {
    const first = await api.run(SmsHistoryDocument, { filter: { endpoint: '13912345678' }, first: 3 });
    expect(first.errors).toBeUndefined();
    const page = first.data!.smsHistory;
    expect(page.edges.map((edge) => edge.node.messageId)).toEqual(['m-1', 'm-2', 'm-3']);
    expect(page.edges[0]!.node).toMatchObject({
      endpoint: NUMBER,
      requestId: 'req-a',
      smsTemplateId: 'tpl-a',
      campaignId: null,
      submittedAt: '2026-12-05T11:50:00.000Z',
      delivery: { status: 'DELIVERED', carrierCode: 'DELIVRD' },
    });
    expect(page.pageInfo).toEqual({
      hasNextPage: true,
      hasPreviousPage: false,
      startCursor: page.edges[0]!.cursor,
      endCursor: page.edges[2]!.cursor,
    });
    const second = await api.run(SmsHistoryDocument, {
      filter: { endpoint: '+86013912345678' },
      first: 3,
      after: page.pageInfo.endCursor ?? null,
    });
    expect(second.data!.smsHistory.edges.map((edge) => edge.node.messageId)).toEqual(['m-4']);
    expect(second.data!.smsHistory.pageInfo.hasNextPage).toBe(false);
    const failed = await api.run(SmsHistoryDocument, { filter: { requestId: 'req-a', status: ['FAILED'] } });
    expect(failed.data!.smsHistory.edges.map((edge) => edge.node.messageId)).toEqual(['m-2']);
  });

  it('smsHistory refuses a missing filter, a bad number, a bad page size, a tampered cursor: BAD_USER_INPUT', async () => {
    const cases: Array<[Parameters<typeof api.run<unknown, Record<string, unknown>>>[1], string, string]> = [
      [{ filter: { smsTemplateId: 'tpl-a' } }, 'filter', 'needs endpoint, requestId, campaignId, or from and to'],
      [{ filter: { from: '2026-10-01T00:00:00Z', to: '2026-12-01T00:00:00Z' } }, 'filter', 'at most 31 days apart'],
      [{ filter: { from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' } }, 'filter.from', 'must be before'],
      [{ filter: { endpoint: '12345' } }, 'filter.endpoint', ENDPOINT_RULE],
      [{ filter: { requestId: 'req-a' }, first: 501 }, 'first', 'must be 1 to 500'],
      [{ filter: { requestId: 'req-a' }, first: 0 }, 'first', 'must be 1 to 500'],
      [
        { filter: { requestId: 'req-a' }, after: 'bm90IGEgY3Vyc29y.AAAAAAAAAAAAAAAAAAAAAA' },
        'after',
        'is not a cursor',
      ],
    ];
    for (const [variables, field, message] of cases) {
      const { data, error } = await api.run(SmsHistoryDocument as never, variables);
      expect(data).toBeUndefined();
      expect(error?.message).toBe('Invalid input: 1 problem(s); nothing was read');
      expect(error?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        delivery: 'NOT_SENT',
        validationErrors: [{ field, message: expect.stringContaining(message) }],
      });
    }
  });

  it("a cursor given to one tenant is refused for another; another tenant's data is no data", async () => {
    const acme = await api.run(SmsHistoryDocument, { filter: { requestId: 'req-a' }, first: 1 });
    const cursor = acme.data!.smsHistory.pageInfo.endCursor!;
    const foreign = await api.run(SmsHistoryDocument, { filter: { requestId: 'req-a' }, after: cursor }, GLOBEX);
    expect(foreign.error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      validationErrors: [{ field: 'after', message: 'is not a cursor this field gave' }],
    });
    const none = await api.run(SmsHistoryDocument, { filter: { endpoint: NUMBER } }, caller('initech'));
    expect(none.data!.smsHistory).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
    });
    const globex = await api.run(SmsHistoryDocument, { filter: { endpoint: NUMBER } }, GLOBEX);
    expect(globex.data!.smsHistory.edges.map((edge) => edge.node.messageId)).toEqual(['g-1']);
    const ledger = await api.run(OptOutHistoryDocument, { endpoint: NUMBER }, GLOBEX);
    expect(ledger.data!.optOutHistory).toEqual([]);
  });

  it('smsStats: counts per day with the delivery rate; range rules are BAD_USER_INPUT', async () => {
    const day = await api.run(SmsStatsDocument, { from: '2026-12-05T00:00:00Z', to: '2026-12-06T00:00:00Z' });
    expect(day.errors).toBeUndefined();
    expect(day.data!.smsStats).toEqual([
      {
        key: '2026-12-05T00:00:00.000Z',
        sent: 4,
        delivered: 1,
        undelivered: 1,
        pending: 2,
        unknown: 0,
        suppressed: 2,
        deliveryRate: 0.5,
      },
    ]);
    const byTemplate = await api.run(SmsStatsDocument, {
      from: '2026-12-05T00:00:00Z',
      to: '2026-12-06T00:00:00Z',
      groupBy: 'TEMPLATE',
      filter: { smsTemplateId: 'tpl-none' },
    });
    expect(byTemplate.data!.smsStats).toEqual([]);
    for (const [variables, field] of [
      [{ from: '2026-12-06T00:00:00Z', to: '2026-12-05T00:00:00Z' }, 'from'],
      [{ from: '2025-01-01T00:00:00Z', to: '2026-12-05T00:00:00Z' }, 'to'],
      [{ from: '2026-10-01T00:00:00Z', to: '2026-12-05T00:00:00Z', groupBy: 'HOUR' }, 'groupBy'],
    ] as const) {
      const { error } = await api.run(SmsStatsDocument, variables);
      expect(error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', validationErrors: [{ field }] });
    }
  });

  it('optOutHistory: the changes oldest first, scope sms:read', async () => {
    const { data, errors } = await api.run(
      OptOutHistoryDocument,
      { endpoint: '8613912345678' },
      caller('acme', ['sms:read']),
    );
    expect(errors).toBeUndefined();
    expect(data!.optOutHistory).toEqual([
      { action: 'ADDED', source: 'MANUAL', reason: 'asked', at: '2026-12-01T08:00:00.000Z', by: 'acme-user' },
      { action: 'REMOVED', source: 'MANUAL', reason: null, at: '2026-12-02T08:00:00.000Z', by: null },
    ]);
    const bad = await api.run(OptOutHistoryDocument, { endpoint: 'nope' });
    expect(bad.error?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', validationErrors: [{ field: 'endpoint' }] });
  });

  it('each field needs its scope: FORBIDDEN otherwise, nothing read or erased', async () => {
    const readOnly = caller('acme', ['sms:read']);
    const historyOnly = caller('acme', ['sms:history:read']);
    const calls = store.calls.length;
    for (const [document, variables, as, scope] of [
      [SmsHistoryDocument, { filter: { requestId: 'req-a' } }, readOnly, 'sms:history:read'],
      [SmsStatsDocument, { from: '2026-12-05T00:00:00Z', to: '2026-12-06T00:00:00Z' }, readOnly, 'sms:history:read'],
      [OptOutHistoryDocument, { endpoint: NUMBER }, historyOnly, 'sms:read'],
      [EraseEndpointHistoryDocument, { endpoint: NUMBER }, historyOnly, 'sms:erase'],
    ] as const) {
      const { error } = await api.run(document as never, variables, as);
      expect(error?.extensions).toMatchObject({ code: 'FORBIDDEN', requiredScopes: [scope] });
    }
    expect(store.calls.length).toBe(calls);
  });

  it('sentSms answers from the history once the send log forgot the message (own tenant only)', async () => {
    const own = await api.run(SentSmsDocument, { messageId: 'm-2' });
    expect(own.data!.sentSms).toMatchObject({ messageId: 'm-2', delivery: { status: 'FAILED' } });
    expect((await api.run(SentSmsDocument, { messageId: 'm-2' }, GLOBEX)).data!.sentSms).toBeNull();
  });

  // Last: it erases the number the other tests read.
  it('eraseEndpointHistory: erases, masks the send log, logs without the number; the ledger stays', async () => {
    const { data, errors } = await api.run(EraseEndpointHistoryDocument, { endpoint: '13912345678' });
    expect(errors).toBeUndefined();
    expect(data!.eraseEndpointHistory).toEqual({ erasedMessages: 4 });
    expect(maskEndpoint).toHaveBeenCalledWith(['m-1', 'm-2', 'm-3', 'm-4'], expect.stringMatching(/^erased:/));
    expect(api.logs.entries().find((entry) => entry.msg === 'number erased from the history')).toMatchObject({
      erasedMessages: 4,
      by: 'acme-user',
    });
    expect(api.logs.text).not.toContain('12345678');
    const after = await api.run(SmsHistoryDocument, { filter: { requestId: 'req-a' } });
    expect(after.data!.smsHistory.edges.every((edge) => edge.node.endpoint.startsWith('erased:'))).toBe(true);
    expect((await api.run(SmsHistoryDocument, { filter: { endpoint: NUMBER } })).data!.smsHistory.edges).toEqual([]);
    expect((await api.run(OptOutHistoryDocument, { endpoint: NUMBER })).data!.optOutHistory).toHaveLength(2);
    // Globex's message to the same number is untouched.
    const globex = await api.run(SmsHistoryDocument, { filter: { endpoint: NUMBER } }, GLOBEX);
    expect(globex.data!.smsHistory.edges).toHaveLength(1);
  });
});

describe('the history API with the history off', () => {
  it('every history field answers HISTORY_DISABLED (NOT_SENT), before any input rule', async () => {
    const api = await apiWith(undefined);
    try {
      for (const [document, variables] of [
        [SmsHistoryDocument, { filter: {} }],
        [SmsHistoryDocument, { filter: { endpoint: 'not a number' }, first: 9_999, after: 'garbage' }],
        [SmsStatsDocument, { from: '2026-12-06T00:00:00Z', to: '2026-12-05T00:00:00Z' }],
        [OptOutHistoryDocument, { endpoint: NUMBER }],
        [EraseEndpointHistoryDocument, { endpoint: 'nope' }],
      ] as const) {
        const { data, error } = await api.run(document as never, variables);
        expect(data).toBeUndefined();
        expect(error).toMatchObject({
          message: 'history is not enabled: set HISTORY_DATABASE_URL',
          extensions: { code: 'HISTORY_DISABLED', delivery: 'NOT_SENT' },
        });
      }
      // sentSms is unchanged: the send log alone, null for what it does not know.
      expect((await api.run(SentSmsDocument, { messageId: 'm-1' })).data!.sentSms).toBeNull();
    } finally {
      await api.stop();
    }
  });
});
