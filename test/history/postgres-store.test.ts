import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/history/events.js';
import { MAX_OPT_OUT_CHANGES, type HistoryStore, type StatsGrouping } from '../../src/history/history-store.js';
import { createPool } from '../../src/postgres/pool.js';
import type { OutboxEntry } from '../../src/history/outbox.js';
import { endpointKey, LATEST_OPT_OUTS_PAGE, openPostgresHistory } from '../../src/postgres/postgres-history-store.js';
import { migrationsDirectory } from '../../src/postgres/migrate.js';
import type { DeliveryState, SentMessage } from '../../src/send/send-log.js';
import type { OptOutRecord } from '../../src/suppression/opt-out-store.js';
import { createTestDatabase, historyConfig } from '../helpers/postgres.js';

const logger = pino({ level: 'silent' });
let counter = 0;
const entries = (...events: HistoryEvent[]): OutboxEntry[] =>
  events.map((event) => ({ id: `${Date.now()}-${counter++}`, event, appendedAt: Date.now() }));

function message(tenant: string, overrides: Partial<SentMessage> = {}): SentMessage {
  return {
    messageId: `m-${randomUUID()}`,
    endpoint: '+8613800000000',
    requestId: 'r-1',
    smsTemplateId: 'tpl-1',
    signId: 'sig-1',
    submittedAt: new Date('2026-12-05T10:15:00.000Z'),
    sentBy: tenant === '' ? { sub: 'alice' } : { sub: 'alice', tenant },
    ...overrides,
  };
}

/** A request's messages, numbered `+86138000000NN`. */
function request(tenant: string, count: number, overrides: Partial<SentMessage> = {}): SentMessage[] {
  const requestId = `r-${randomUUID()}`;
  return Array.from({ length: count }, (_, index) =>
    message(tenant, { requestId, endpoint: `+861380000${String(index).padStart(4, '0')}`, ...overrides }),
  );
}

const delivered = (at = '2026-12-05T10:16:00.000Z'): DeliveryState => ({
  status: 'DELIVERED',
  carrierCode: 'DELIVRD',
  reportedAt: new Date(at),
  deliveredAt: new Date(at),
});
const report = (sent: SentMessage, delivery: DeliveryState): HistoryEvent => ({
  kind: 'report',
  message: { ...sent, delivery },
});

describe('PostgreSQL history: migrations', () => {
  it('finds migrations/ at the package root from src/ and from the build in dist/', () => {
    const root = fileURLToPath(new URL('../../migrations', import.meta.url));
    expect(migrationsDirectory()).toBe(root);
    expect(migrationsDirectory(new URL('../../dist/postgres/migrate.js', import.meta.url).href)).toBe(root);
  });

  it('runs on a fresh database from two replicas starting at once, once', async () => {
    const database = await createTestDatabase();
    try {
      const config = historyConfig(database.url);
      const stores = await Promise.all([
        openPostgresHistory(config, logger),
        openPostgresHistory(config, logger),
        openPostgresHistory(config, logger),
      ]);
      await Promise.all(stores.map((store) => store.close()));
      const client = new pg.Client(database.url);
      await client.connect();
      try {
        const { rows } = await client.query<{ name: string }>('SELECT name FROM pgmigrations');
        expect(rows.map((row) => row.name)).toEqual(['1733400000000_history']);
        const tables = await client.query<{ name: string }>(
          `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
        );
        expect(tables.rows.map((row) => row.name)).toEqual(
          expect.arrayContaining(['erasures', 'messages', 'opt_out_ledger', 'suppressed_sends']),
        );
      } finally {
        await client.end();
      }
      // A later start finds nothing to do.
      const again = await openPostgresHistory(config, logger);
      await again.close();
    } finally {
      await database.drop();
    }
  });
});

describe('PostgreSQL history store', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: HistoryStore;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openPostgresHistory(historyConfig(database.url), logger);
    sql = new pg.Client(database.url);
    await sql.connect();
  });
  afterAll(async () => {
    await sql?.end();
    await store?.close();
    await database?.drop();
  });

  const tenantRows = async (tenant: string) =>
    (await sql.query('SELECT * FROM messages WHERE tenant = $1 ORDER BY message_id', [tenant])).rows;

  it('writes sent messages and reads them back by request, id and query', async () => {
    const tenant = `t-${randomUUID()}`;
    const messages = request(tenant, 3, { campaignId: 'c-1', extendCode: '01' });
    const written = await store.write(entries({ kind: 'sent', messages }));
    expect(written).toEqual({ messages: 3, reports: 0, optOuts: 0, suppressed: 0 });

    const found = await store.findRequest(tenant, messages[0]!.requestId);
    expect(found).toEqual({
      requestId: messages[0]!.requestId,
      submittedAt: messages[0]!.submittedAt,
      messageIds: messages.map((m) => m.messageId),
      sentBy: { sub: 'alice', tenant },
    });
    expect(await store.findMessages(tenant, [messages[2]!.messageId, 'nope', messages[0]!.messageId])).toEqual([
      messages[2],
      undefined,
      messages[0],
    ]);
    const byEndpoint = await store.messages(tenant, { endpoint: messages[1]!.endpoint, limit: 10 });
    expect(byEndpoint).toEqual([messages[1]]);
  });

  it('keeps a message without a tenant under the empty tenant, with sentBy naming no tenant', async () => {
    const messages = request('', 2);
    await store.write(entries({ kind: 'sent', messages }));
    const found = await store.findRequest('', messages[0]!.requestId);
    expect(found?.sentBy).toEqual({ sub: 'alice' });
    expect(await store.findMessages('', [messages[0]!.messageId])).toEqual([messages[0]]);
  });

  it('takes a report before its sent event, and the sent event still gives the message its place', async () => {
    const tenant = `t-${randomUUID()}`;
    const messages = request(tenant, 3);
    await store.write(entries(report(messages[1]!, delivered())));
    expect(await store.findMessages(tenant, [messages[1]!.messageId])).toEqual([
      { ...messages[1], delivery: delivered() },
    ]);
    await store.write(entries({ kind: 'sent', messages }));
    const [first, second, third] = await store.findMessages(
      tenant,
      messages.map((m) => m.messageId),
    );
    expect(first).toEqual(messages[0]);
    expect(second).toEqual({ ...messages[1], delivery: delivered() });
    expect(third).toEqual(messages[2]);
    expect((await store.findRequest(tenant, messages[0]!.requestId))?.messageIds).toEqual(
      messages.map((m) => m.messageId),
    );
    // Sent then report in the same batch: the report applies.
    const more = request(tenant, 2);
    await store.write(entries(report(more[0]!, delivered()), { kind: 'sent', messages: more }));
    expect((await store.findMessages(tenant, [more[0]!.messageId]))[0]?.delivery).toEqual(delivered());
  });

  it('lets the first final report win, across batches and within one', async () => {
    const tenant = `t-${randomUUID()}`;
    const messages = request(tenant, 2);
    await store.write(entries({ kind: 'sent', messages }));
    const failed: DeliveryState = {
      status: 'FAILED',
      carrierCode: 'UNDELIV',
      reportedAt: new Date('2026-12-05T10:17:00Z'),
    };
    await store.write(entries(report(messages[0]!, delivered())));
    await store.write(entries(report(messages[0]!, failed)));
    await store.write(entries(report(messages[1]!, failed), report(messages[1]!, delivered())));
    const [first, second] = await store.findMessages(
      tenant,
      messages.map((m) => m.messageId),
    );
    expect(first?.delivery).toEqual(delivered());
    expect(second?.delivery).toEqual(failed);
  });

  it('changes nothing when a batch is written again', async () => {
    const tenant = `t-${randomUUID()}`;
    const messages = request(tenant, 5, { campaignId: 'c-retry' });
    const batch = entries(
      report(messages[4]!, delivered()),
      { kind: 'sent', messages },
      report(messages[0]!, delivered()),
      {
        kind: 'opt-out',
        tenant,
        endpoints: ['+8613900000001', '+8613900000002'],
        action: 'ADDED',
        source: 'MANUAL',
        reason: 'asked',
        by: 'alice',
        at: new Date('2026-12-05T09:00:00Z'),
      },
      { kind: 'suppressed', tenant, at: new Date('2026-12-05T10:15:00Z'), smsTemplateId: 'tpl-1', count: 7 },
    );
    const first = await store.write(batch);
    expect(first).toEqual({ messages: 5, reports: 2, optOuts: 2, suppressed: 1 });
    const snapshot = async () => ({
      messages: await tenantRows(tenant),
      ledger: (await sql.query('SELECT * FROM opt_out_ledger WHERE tenant = $1 ORDER BY endpoint', [tenant])).rows,
      suppressed: (await sql.query('SELECT * FROM suppressed_sends WHERE tenant = $1', [tenant])).rows,
      // xmin: a row rewritten with the same values would still show a new version.
      versions: (await sql.query('SELECT xmin::text FROM messages WHERE tenant = $1 ORDER BY message_id', [tenant]))
        .rows,
    });
    const before = await snapshot();
    expect(before.messages).toHaveLength(5);
    expect(await store.write(batch)).toEqual(first);
    expect(await snapshot()).toEqual(before);
    expect((await store.findRequest(tenant, messages[0]!.requestId))?.messageIds).toEqual(
      messages.map((m) => m.messageId),
    );
  });

  it('escapes tabs, backslashes and newlines on their way through COPY', async () => {
    const tenant = `t\t${randomUUID()}\\x`;
    const odd = 'a\tb\\c\nd\re \\N \\.';
    const sent = message(tenant, {
      messageId: `m\t${randomUUID()}\\\n`,
      requestId: `r\\${randomUUID()}\n`,
      smsTemplateId: odd,
      signId: '\\N',
      campaignId: 'c\t1',
      sentBy: { sub: 'su\tb\\', tenant },
    });
    await store.write(
      entries({ kind: 'sent', messages: [sent] }, report(sent, { status: 'FAILED', carrierCode: 'X\tY\\Z\n' }), {
        kind: 'opt-out',
        tenant,
        endpoints: ['+8613900000009'],
        action: 'ADDED',
        source: 'SMS_REPLY',
        reason: odd,
        by: 'b\ty',
        at: new Date('2026-12-05T09:00:00Z'),
      }),
    );
    expect(await store.findMessages(tenant, [sent.messageId])).toEqual([
      { ...sent, delivery: { status: 'FAILED', carrierCode: 'X\tY\\Z\n' } },
    ]);
    expect((await store.findRequest(tenant, sent.requestId))?.messageIds).toEqual([sent.messageId]);
    expect(await store.optOutChanges(tenant, '+8613900000009')).toEqual([
      { action: 'ADDED', source: 'SMS_REPLY', reason: odd, by: 'b\ty', at: new Date('2026-12-05T09:00:00Z') },
    ]);
    const [stat] = await store.stats(tenant, {
      from: new Date('2026-12-01'),
      to: new Date('2027-01-01'),
      groupBy: 'TEMPLATE',
    });
    expect(stat?.key).toBe(odd);
  });

  it('pages messages newest first by (submitted at, message id) with filters', async () => {
    const tenant = `t-${randomUUID()}`;
    const base = Date.parse('2026-12-05T00:00:00Z');
    const all = Array.from({ length: 25 }, (_, index) =>
      message(tenant, {
        messageId: `m-${String(index).padStart(3, '0')}-${tenant}`,
        requestId: `r-${index % 2}`,
        // Pairs share a time: the message id breaks the tie.
        submittedAt: new Date(base + Math.floor(index / 2) * 60_000),
        campaignId: index % 2 === 0 ? 'even' : undefined,
      }),
    );
    await store.write(entries(...all.map((m) => ({ kind: 'sent' as const, messages: [m] }))));
    await store.write(entries(report(all[3]!, delivered()), report(all[4]!, { status: 'EXPIRED' })));
    const expected = [...all].reverse().map((m) => m.messageId);
    const seen: string[] = [];
    let after: { submittedAt: Date; messageId: string } | undefined;
    for (;;) {
      const page = await store.messages(tenant, { limit: 7, after });
      seen.push(...page.map((m) => m.messageId));
      if (page.length < 7) break;
      after = { submittedAt: page[6]!.submittedAt, messageId: page[6]!.messageId };
    }
    expect(seen).toEqual(expected);
    const statuses = await store.messages(tenant, { statuses: ['DELIVERED', 'EXPIRED'], limit: 10 });
    expect(statuses.map((m) => m.messageId)).toEqual([all[4]!.messageId, all[3]!.messageId]);
    const window = await store.messages(tenant, {
      from: new Date(base + 2 * 60_000),
      to: new Date(base + 4 * 60_000),
      limit: 10,
    });
    expect(window.map((m) => m.messageId)).toEqual([7, 6, 5, 4].map((i) => all[i]!.messageId));
    const campaign = await store.messages(tenant, { campaignId: 'even', limit: 100 });
    expect(campaign).toHaveLength(13);
    const byRequest = await store.messages(tenant, { requestId: 'r-1', limit: 100 });
    expect(byRequest).toHaveLength(12);
  });

  it('adds up stats buckets for every grouping, with the held-back counts merged in', async () => {
    const tenant = `t-${randomUUID()}`;
    const statuses: DeliveryState[] = [
      delivered(),
      { status: 'FAILED' },
      { status: 'EXPIRED' },
      { status: 'REJECTED' },
      { status: 'UNKNOWN' },
    ];
    const events: HistoryEvent[] = [];
    const all: SentMessage[] = [];
    for (let index = 0; index < 40; index += 1) {
      const sent = message(tenant, {
        submittedAt: new Date(Date.parse('2026-12-04T22:00:00Z') + index * 20 * 60_000),
        smsTemplateId: `tpl-${index % 3}`,
        campaignId: index % 4 === 0 ? undefined : `c-${index % 2}`,
      });
      all.push(sent);
      events.push({ kind: 'sent', messages: [sent] });
      if (index % 2 === 0) events.push(report(sent, statuses[index % 5]!));
    }
    events.push(
      { kind: 'suppressed', tenant, at: new Date('2026-12-04T22:30:00Z'), smsTemplateId: 'tpl-9', count: 3 },
      {
        kind: 'suppressed',
        tenant,
        at: new Date('2026-12-05T03:10:00Z'),
        smsTemplateId: 'tpl-0',
        campaignId: 'c-1',
        count: 4,
      },
    );
    await store.write(entries(...events));
    const range = { from: new Date('2026-12-01T00:00:00Z'), to: new Date('2027-01-01T00:00:00Z') };
    for (const groupBy of ['HOUR', 'DAY', 'TEMPLATE', 'CAMPAIGN'] as StatsGrouping[]) {
      const buckets = await store.stats(tenant, { ...range, groupBy });
      const sum = (field: 'sent' | 'delivered' | 'undelivered' | 'pending' | 'unknown' | 'suppressed') =>
        buckets.reduce((total, bucket) => total + bucket[field], 0);
      expect(sum('sent')).toBe(40);
      expect(sum('suppressed')).toBe(7);
      expect(sum('delivered') + sum('undelivered') + sum('pending') + sum('unknown')).toBe(40);
      expect(sum('pending')).toBe(20);
      expect(sum('delivered')).toBe(4);
      expect(sum('undelivered')).toBe(12);
      expect(sum('unknown')).toBe(4);
      for (const bucket of buckets) {
        expect(bucket.delivered + bucket.undelivered + bucket.pending + bucket.unknown).toBe(bucket.sent);
      }
      expect(buckets.map((b) => b.key)).toEqual([...buckets.map((b) => b.key)].sort());
    }
    const days = await store.stats(tenant, { ...range, groupBy: 'DAY' });
    expect(days.map((b) => [b.key, b.sent, b.suppressed])).toEqual([
      ['2026-12-04T00:00:00.000Z', 6, 3],
      ['2026-12-05T00:00:00.000Z', 34, 4],
    ]);
    const hours = await store.stats(tenant, { ...range, groupBy: 'HOUR' });
    expect(hours[0]).toMatchObject({ key: '2026-12-04T22:00:00.000Z', sent: 3, suppressed: 3 });
    const templates = await store.stats(tenant, { ...range, groupBy: 'TEMPLATE' });
    expect(templates.map((b) => b.key)).toEqual(['tpl-0', 'tpl-1', 'tpl-2', 'tpl-9']);
    expect(templates[3]).toMatchObject({ sent: 0, suppressed: 3 });
    const campaigns = await store.stats(tenant, { ...range, groupBy: 'CAMPAIGN' });
    expect(campaigns.map((b) => [b.key, b.sent, b.suppressed])).toEqual([
      ['', 10, 3],
      ['c-0', 10, 0],
      ['c-1', 20, 4],
    ]);
    const oneCampaign = await store.stats(tenant, { ...range, groupBy: 'DAY', campaignId: 'c-1' });
    expect(oneCampaign.reduce((total, b) => total + b.sent, 0)).toBe(20);
    expect(oneCampaign.reduce((total, b) => total + b.suppressed, 0)).toBe(4);
    const oneTemplate = await store.stats(tenant, { ...range, groupBy: 'CAMPAIGN', smsTemplateId: 'tpl-0' });
    expect(oneTemplate.reduce((total, b) => total + b.sent, 0)).toBe(
      all.filter((m) => m.smsTemplateId === 'tpl-0').length,
    );
    // The range: to is exclusive.
    const narrow = await store.stats(tenant, {
      from: new Date('2026-12-04T22:00:00Z'),
      to: new Date('2026-12-04T23:00:00Z'),
      groupBy: 'HOUR',
    });
    expect(narrow.map((b) => [b.key, b.sent])).toEqual([['2026-12-04T22:00:00.000Z', 3]]);
  });

  it('answers another tenant exactly like no rows, on every read', async () => {
    const tenant = `t-${randomUUID()}`;
    const other = `t-${randomUUID()}`;
    const messages = request(tenant, 2, { campaignId: 'c-iso' });
    await store.write(
      entries(
        { kind: 'sent', messages },
        report(messages[0]!, delivered()),
        {
          kind: 'opt-out',
          tenant,
          endpoints: [messages[0]!.endpoint],
          action: 'ADDED',
          source: 'MANUAL',
          at: new Date(),
        },
        { kind: 'suppressed', tenant, at: messages[0]!.submittedAt, smsTemplateId: 'tpl-1', count: 1 },
      ),
    );
    const range = { from: new Date('2026-12-01'), to: new Date('2027-01-01') };
    expect(await store.messages(other, { endpoint: messages[0]!.endpoint, limit: 10 })).toEqual([]);
    expect(await store.messages(other, { requestId: messages[0]!.requestId, limit: 10 })).toEqual([]);
    expect(await store.messages(other, { campaignId: 'c-iso', limit: 10 })).toEqual([]);
    expect(await store.messages(other, { ...range, limit: 10 })).toEqual([]);
    expect(await store.findMessages(other, [messages[0]!.messageId])).toEqual([undefined]);
    expect(await store.findRequest(other, messages[0]!.requestId)).toBeUndefined();
    for (const groupBy of ['HOUR', 'DAY', 'TEMPLATE', 'CAMPAIGN'] as StatsGrouping[]) {
      expect(await store.stats(other, { ...range, groupBy })).toEqual([]);
    }
    expect(await store.optOutChanges(other, messages[0]!.endpoint)).toEqual([]);
    const erased = await store.erase(other, messages[0]!.endpoint, 'mallory', new Date(), new Date(0));
    expect(erased.erasedMessages).toBe(0);
    // ...and the owner still sees everything.
    expect(await store.messages(tenant, { endpoint: messages[0]!.endpoint, limit: 10 })).toHaveLength(1);
    expect(await store.optOutChanges(tenant, messages[0]!.endpoint)).toHaveLength(1);
  });

  it('keeps the ledger in order and rebuilds the latest opt-outs across pages', async () => {
    const tenant = `t-${randomUUID()}`;
    const other = `t-${randomUUID()}`;
    const number = '+8613911111111';
    const at = (minute: number) => new Date(Date.parse('2026-12-05T08:00:00Z') + minute * 60_000);
    // Written out of order: the ledger reads by time, then event id.
    await store.write(
      entries(
        { kind: 'opt-out', tenant, endpoints: [number], action: 'REMOVED', source: 'MANUAL', by: 'bob', at: at(2) },
        {
          kind: 'opt-out',
          tenant,
          endpoints: [number],
          action: 'ADDED',
          source: 'SMS_REPLY',
          reason: 'STOP',
          at: at(1),
        },
        {
          kind: 'opt-out',
          tenant,
          endpoints: [number],
          action: 'ADDED',
          source: 'MANUAL',
          reason: 'again',
          by: 'carol',
          at: at(3),
        },
      ),
    );
    expect(await store.optOutChanges(tenant, number)).toEqual([
      { action: 'ADDED', source: 'SMS_REPLY', reason: 'STOP', at: at(1) },
      { action: 'REMOVED', source: 'MANUAL', by: 'bob', at: at(2) },
      { action: 'ADDED', source: 'MANUAL', reason: 'again', by: 'carol', at: at(3) },
    ]);

    // More numbers than one page: added, then every third removed again; another tenant adds a few.
    const many = Array.from({ length: LATEST_OPT_OUTS_PAGE + 1_500 }, (_, i) => `+86137${String(i).padStart(8, '0')}`);
    const removed = many.filter((_, i) => i % 3 === 0);
    await store.write(
      entries(
        { kind: 'opt-out', tenant, endpoints: many, action: 'ADDED', source: 'MANUAL', reason: 'bulk', at: at(10) },
        { kind: 'opt-out', tenant, endpoints: removed, action: 'REMOVED', source: 'MANUAL', at: at(11) },
        {
          kind: 'opt-out',
          tenant: other,
          endpoints: many.slice(0, 3),
          action: 'ADDED',
          source: 'SMS_REPLY',
          at: at(12),
        },
      ),
    );
    const pages: number[] = [];
    const latest = new Map<string, OptOutRecord>();
    for await (const page of store.latestOptOuts()) {
      pages.push(page.length);
      for (const entry of page) {
        const key = `${entry.tenant}|${entry.endpoint}`;
        expect(latest.has(key)).toBe(false);
        latest.set(key, entry.record);
      }
    }
    expect(pages.length).toBeGreaterThan(1);
    expect(latest.get(`${tenant}|${number}`)).toEqual({
      source: 'MANUAL',
      reason: 'again',
      since: at(3).toISOString(),
    });
    for (const [i, endpoint] of many.entries()) {
      const record = latest.get(`${tenant}|${endpoint}`);
      if (i % 3 === 0) expect(record).toBeUndefined();
      else expect(record).toEqual({ source: 'MANUAL', reason: 'bulk', since: at(10).toISOString() });
    }
    expect(latest.get(`${other}|${many[0]}`)).toEqual({ source: 'SMS_REPLY', since: at(12).toISOString() });
  });

  it('bounds every query: statement_timeout on the pool, so no read outlives its request', async () => {
    const pool = createPool(historyConfig(database.url), () => undefined);
    try {
      const { rows } = await pool.query<{ statement_timeout: string }>('SHOW statement_timeout');
      expect(rows[0]!.statement_timeout).toBe('20s');
      await expect(pool.query("SET statement_timeout = '50ms'; SELECT pg_sleep(1)")).rejects.toMatchObject({
        code: '57014',
      });
    } finally {
      await pool.end();
    }
  });

  it('answers a churning number with its latest MAX_OPT_OUT_CHANGES changes, oldest first', async () => {
    const tenant = `t-${randomUUID()}`;
    const number = '+8613922222222';
    const start = Date.parse('2026-12-01T00:00:00Z');
    const changes = Array.from({ length: MAX_OPT_OUT_CHANGES + 5 }, (_, index) => ({
      kind: 'opt-out' as const,
      tenant,
      endpoints: [number],
      action: index % 2 === 0 ? ('ADDED' as const) : ('REMOVED' as const),
      source: 'MANUAL' as const,
      reason: `change ${index}`,
      at: new Date(start + index * 1_000),
    }));
    await store.write(entries(...changes));
    const answered = await store.optOutChanges(tenant, number);
    expect(answered).toHaveLength(MAX_OPT_OUT_CHANGES);
    expect(answered[0]!.reason).toBe('change 5');
    expect(answered.at(-1)!.reason).toBe(`change ${MAX_OPT_OUT_CHANGES + 4}`);
  });

  it('erases a number: gone from queries, rows kept, stats unchanged, late writes arrive erased', async () => {
    const tenant = `t-${randomUUID()}`;
    const number = '+8613822222222';
    const keep = '+8613833333333';
    const at = (day: number) => new Date(Date.parse('2026-12-01T12:00:00Z') + day * 86_400_000);
    const old = message(tenant, { endpoint: number, submittedAt: at(0) });
    const recent = message(tenant, { endpoint: number, submittedAt: at(3) });
    const lateEarlier = message(tenant, { endpoint: number, submittedAt: at(2) });
    const afterwards = message(tenant, { endpoint: number, submittedAt: at(6) });
    const other = message(tenant, { endpoint: keep, submittedAt: at(3) });
    await store.write(entries({ kind: 'sent', messages: [old] }, { kind: 'sent', messages: [recent, other] }));
    await store.write(entries(report(recent, delivered())));
    const range = { from: new Date('2026-11-01'), to: new Date('2027-01-01'), groupBy: 'DAY' as const };
    const statsBefore = await store.stats(tenant, range);

    const result = await store.erase(tenant, number, 'dpo', at(5), at(2));
    const replacement = `erased:${endpointKey(historyConfig('').erasureKey, tenant, number)}`;
    expect(result).toEqual({ erasedMessages: 2, recentMessageIds: [recent.messageId], replacement });
    expect(await store.messages(tenant, { endpoint: number, limit: 10 })).toEqual([]);
    const [oldAfter, recentAfter] = await store.findMessages(tenant, [old.messageId, recent.messageId]);
    expect(oldAfter).toEqual({ ...old, endpoint: replacement });
    expect(recentAfter).toEqual({ ...recent, endpoint: replacement, delivery: delivered() });
    expect(await store.messages(tenant, { endpoint: keep, limit: 10 })).toEqual([other]);
    expect(await store.stats(tenant, range)).toEqual(statsBefore);
    const erasure = await sql.query('SELECT * FROM erasures WHERE tenant = $1', [tenant]);
    expect(erasure.rows).toMatchObject([{ erased_by: 'dpo', erased_messages: 2, erased_at: at(5) }]);

    // Still in the outbox at the erasure: an earlier message, and a report of one not written yet.
    const reportedLate = message(tenant, { endpoint: number, submittedAt: at(1) });
    await store.write(
      entries({ kind: 'sent', messages: [lateEarlier] }, report(reportedLate, delivered()), {
        kind: 'sent',
        messages: [afterwards],
      }),
    );
    const [late, lateReport, after] = await store.findMessages(tenant, [
      lateEarlier.messageId,
      reportedLate.messageId,
      afterwards.messageId,
    ]);
    expect(late?.endpoint).toBe(replacement);
    expect(lateReport?.endpoint).toBe(replacement);
    // A message sent after the erasure is a new message to that number: kept as sent.
    expect(after?.endpoint).toBe(number);
    expect((await store.messages(tenant, { endpoint: number, limit: 10 })).map((m) => m.messageId)).toEqual([
      afterwards.messageId,
    ]);
    const rows = await sql.query('SELECT count(*)::int AS n FROM messages WHERE tenant = $1 AND endpoint_key IS NULL', [
      tenant,
    ]);
    expect(rows.rows[0].n).toBe(4);
  });
});

describe('PostgreSQL history: maintenance', () => {
  it('creates the months around now and drops whole months older than the retention', async () => {
    const database = await createTestDatabase();
    const store = await openPostgresHistory(historyConfig(database.url), logger);
    const sql = new pg.Client(database.url);
    await sql.connect();
    try {
      const tenant = 't';
      const sent = (iso: string) => message(tenant, { submittedAt: new Date(iso) });
      const messages = [
        sent('2026-04-30T23:59:59.999Z'), // May's partition ends... this is April: wholly old
        sent('2026-05-01T00:00:00.000Z'),
        sent('2026-06-10T00:00:00.000Z'),
        sent('2026-12-05T00:00:00.000Z'),
      ];
      await store.write(entries({ kind: 'sent', messages }));
      await store.write(
        entries(
          { kind: 'suppressed', tenant, at: new Date('2026-05-01T00:00:00Z'), smsTemplateId: 'x', count: 1 },
          { kind: 'suppressed', tenant, at: new Date('2026-06-10T00:00:00Z'), smsTemplateId: 'x', count: 2 },
        ),
      );
      // 2026-12-05 minus 210 days is 2026-05-09: April ended before it, May did not.
      const result = await store.maintain(new Date('2026-12-05T12:00:00Z'), 210);
      expect(result.dropped).toEqual(['messages_y2026m04']);
      expect(result.created.sort()).toEqual(['messages_y2026m11', 'messages_y2027m01', 'messages_y2027m02']);
      const partitions = await sql.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'messages'::regclass ORDER BY 1`,
      );
      expect(partitions.rows.map((row) => row.name)).toEqual([
        'messages_y2026m05',
        'messages_y2026m06',
        'messages_y2026m11',
        'messages_y2026m12',
        'messages_y2027m01',
        'messages_y2027m02',
      ]);
      const kept = await store.findMessages(
        tenant,
        messages.map((m) => m.messageId),
      );
      expect(kept.map((m) => m?.messageId)).toEqual([undefined, ...messages.slice(1).map((m) => m.messageId)]);
      const suppressed = await sql.query<{ count: number }>('SELECT count FROM suppressed_sends ORDER BY at');
      expect(suppressed.rows).toEqual([{ count: 2 }]);
      // Again: nothing left to do.
      expect(await store.maintain(new Date('2026-12-05T12:00:00Z'), 210)).toEqual({ created: [], dropped: [] });
      // A late write for a dropped month recreates it (no default partition to fall into).
      const late = sent('2026-04-15T00:00:00.000Z');
      await store.write(entries({ kind: 'sent', messages: [late] }));
      expect(await store.findMessages(tenant, [late.messageId])).toEqual([late]);
    } finally {
      await sql.end();
      await store.close();
      await database.drop();
    }
  });

  it('leaves maintenance to the replica holding the lock', async () => {
    const database = await createTestDatabase();
    const config = historyConfig(database.url);
    const [a, b] = await Promise.all([openPostgresHistory(config, logger), openPostgresHistory(config, logger)]);
    const holder = new pg.Client(database.url);
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock(5861027002)');
      expect(await a.maintain(new Date('2026-12-05T12:00:00Z'), 30)).toEqual({ created: [], dropped: [] });
      await holder.query('COMMIT');
      expect((await b.maintain(new Date('2026-12-05T12:00:00Z'), 30)).created).toHaveLength(4);
    } finally {
      await holder.end();
      await a.close();
      await b.close();
      await database.drop();
    }
  });

  it('writes a batch larger than a chunk in several transactions on its connections, each row once', async () => {
    const database = await createTestDatabase();
    const store = await openPostgresHistory(historyConfig(database.url), logger, {
      writerConnections: 2,
      chunkRows: 3,
    });
    const sql = new pg.Client(database.url);
    await sql.connect();
    try {
      const tenant = `t-${randomUUID()}`;
      const first = request(tenant, 4, { campaignId: 'c-1' });
      const second = request(tenant, 5);
      const batch = entries(
        report(first[3]!, delivered()),
        { kind: 'sent', messages: first },
        {
          kind: 'opt-out',
          tenant,
          endpoints: ['+8613900000001'],
          action: 'ADDED',
          source: 'MANUAL',
          by: 'alice',
          at: new Date('2026-12-05T09:00:00Z'),
        },
        { kind: 'sent', messages: second },
        report(second[0]!, delivered()),
        { kind: 'suppressed', tenant, at: new Date('2026-12-05T10:15:00Z'), smsTemplateId: 'tpl-1', count: 2 },
      );
      const written = { messages: 9, reports: 2, optOuts: 1, suppressed: 1 };
      expect(await store.write(batch)).toEqual(written);
      // Written twice (a retry after a lost acknowledgement): nothing changes.
      expect(await store.write(batch)).toEqual(written);
      const { rows } = await sql.query<{ message_id: string; seq: number; status: string }>(
        'SELECT message_id, seq, status FROM messages WHERE tenant = $1',
        [tenant],
      );
      expect(rows).toHaveLength(9);
      const byId = new Map(rows.map((row) => [row.message_id, row]));
      [...first, ...second].forEach((sent, index) => {
        const row = byId.get(sent.messageId)!;
        expect(row.seq).toBe(index < 4 ? index : index - 4);
        expect(row.status).toBe(sent === first[3] || sent === second[0] ? 'DELIVERED' : 'SUBMITTED');
      });
      expect((await sql.query('SELECT 1 FROM opt_out_ledger WHERE tenant = $1', [tenant])).rowCount).toBe(1);
      expect((await sql.query('SELECT count FROM suppressed_sends WHERE tenant = $1', [tenant])).rows).toEqual([
        { count: 2 },
      ]);
      expect((await store.findRequest(tenant, second[0]!.requestId))?.messageIds).toEqual(
        second.map((m) => m.messageId),
      );
    } finally {
      await sql.end();
      await store.close();
      await database.drop();
    }
  });
});
