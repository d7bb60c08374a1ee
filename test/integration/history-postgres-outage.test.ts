// PostgreSQL goes away under a running service, and is not there when a service starts: sends never wait
// for the history, /readyz stays 200, the metrics say the history is behind, a warning is logged, and once
// PostgreSQL is back the history catches up by itself: every message exactly once, the outbox empty.
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { historyOutboxKeys } from '../../src/state/redis-history-outbox.js';
import { startApp, type TestApp } from '../helpers/app.js';
import {
  addRecipients,
  campaignReaches,
  createCampaign,
  metricValue,
  NO_QUOTA,
  numbers,
  readCampaign,
  startCampaign,
} from '../helpers/campaigns.js';
import { post } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { mint } from '../helpers/jwks.js';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { REDIS_URL, redisForTests, uniquePrefix } from '../helpers/redis.js';
import { useStack } from '../helpers/stack.js';

// Redis is the durable outbox these tests are about: without it there is nothing to test (CI fails loudly).
const hasRedis = await redisForTests();
const stack = useStack({ auth: true, app: false });
const SCOPES = 'sms:promotion:send sms:read sms:history:read';
const ENTRIES = 'smn_gateway_history_outbox_entries';
const LAG = 'smn_gateway_history_lag_seconds';

let postgres: PrivatePostgres;
let redis: Redis;
const prefixes: string[] = [];

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  redis = new Redis(REDIS_URL);
}, 30_000);
afterAll(async () => {
  // Only the keys these tests made the outbox write, by name (never a SCAN of the shared Redis).
  const keys = prefixes.flatMap((prefix) => Object.values(historyOutboxKeys(prefix)));
  if (keys.length > 0) await redis?.unlink(...keys);
  redis?.disconnect();
  await postgres?.destroy();
});

/** A database of its own on the private server (made while it runs), and its URL. */
async function databaseOnPrivateServer(name: string): Promise<string> {
  await sql(postgres.url, `CREATE DATABASE ${name}`);
  const url = new URL(postgres.url);
  url.pathname = `/${name}`;
  return url.toString();
}

/** One statement on a connection of its own (closed at once: the server is about to be stopped). */
async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, values?: unknown[]) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** Message rows of `campaignId` in the history: all of them, and how many distinct message ids. */
async function messageRows(url: string, where: string, value: string) {
  const [row] = await sql<{ total: string; distinct: string }>(
    url,
    `SELECT count(*) AS total, count(DISTINCT message_id) AS distinct FROM messages WHERE ${where} = $1`,
    [value],
  );
  return { total: Number(row!.total), distinct: Number(row!.distinct) };
}

async function headersFor(tenant: string) {
  const token = await mint(stack.key, { scope: SCOPES, subject: `${tenant}-ops`, claims: { tenant_id: tenant } });
  return { authorization: `Bearer ${token}` };
}

async function startHistoryApp(databaseUrl: string): Promise<TestApp> {
  const prefix = uniquePrefix();
  prefixes.push(prefix);
  return startApp(
    stack.env({
      ...NO_QUOTA,
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      HISTORY_DATABASE_URL: databaseUrl,
      HISTORY_ERASURE_KEY: 'integration-erasure-key-0123456789abcdef',
    }),
  );
}

const readyStatus = async (app: TestApp) => (await fetch(`${app.url}/readyz`)).status;

const STATS = `query Stats($from: DateTime!, $to: DateTime!, $filter: SmsStatsFilter) {
  smsStats(from: $from, to: $to, groupBy: CAMPAIGN, filter: $filter) { key sent suppressed }
}`;

describe.runIf(hasRedis)('PostgreSQL stopped and started mid-campaign', () => {
  it('the campaign completes, /readyz stays 200, the lag shows and is logged; then history catches up exactly', async () => {
    const url = await databaseOnPrivateServer('outage_mid_campaign');
    const app = await startHistoryApp(url);
    try {
      const headers = await headersFor('outage');
      const recipients = numbers(4_000, 810_000);
      // 4 batches of 1000, one every 2 s: about 6 s of sending, the first batch in the history long before the last.
      const campaign = await createCampaign(
        app.graphqlUrl,
        { smsTemplateId: 'tpl-outage', messagesPerSecond: 500 },
        headers,
      );
      await addRecipients(app.graphqlUrl, campaign.id, recipients, headers);
      // The history is open (migrations done) before the campaign starts: the writer is what is tested.
      await vi.waitFor(() => messageRows(url, 'campaign_id', campaign.id), { timeout: 20_000, interval: 200 });
      await startCampaign(app.graphqlUrl, campaign.id, headers);

      await vi.waitFor(
        async () => expect((await messageRows(url, 'campaign_id', campaign.id)).total).toBeGreaterThan(0),
        { timeout: 20_000, interval: 50 },
      );
      await postgres.stop();
      const atStop = await readCampaign(app.graphqlUrl, campaign.id, headers);
      // The outage must land mid-campaign, or this test proves nothing about sends going on without PostgreSQL.
      expect(atStop?.status).toBe('RUNNING');
      expect(atStop!.sent).toBeLessThan(recipients.length);

      const done = await campaignReaches(app.graphqlUrl, campaign.id, 'COMPLETED', 40_000, headers);
      expect(done).toMatchObject({ recipients: recipients.length, sent: recipients.length, failed: 0, remaining: 0 });
      expect(await readyStatus(app)).toBe(200);
      // What the campaign sent after the stop waits in the outbox, and the metrics say so.
      await vi.waitFor(
        async () => {
          expect(await metricValue(app, ENTRIES)).toBeGreaterThan(0);
          expect(await metricValue(app, LAG)).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 200 },
      );
      await vi.waitFor(
        () =>
          expect(
            app.logs.entries().some((entry) => entry.level === 40 && /^history writer failing/.test(String(entry.msg))),
          ).toBe(true),
        { timeout: 10_000, interval: 100 },
      );
      expect(await readyStatus(app)).toBe(200);
      // A direct send goes through as well.
      const sent = await publish(app, promotionInput({ endpoints: numbers(1, 890_000) }), headers);
      expect(sent.errors).toBeUndefined();

      await postgres.start();
      // Caught up by itself: the outbox empties and the history holds every message of the campaign once.
      await vi.waitFor(
        async () => {
          expect(await metricValue(app, ENTRIES)).toBe(0);
          expect(await messageRows(url, 'campaign_id', campaign.id)).toEqual({
            total: recipients.length,
            distinct: recipients.length,
          });
        },
        { timeout: 30_000, interval: 250 },
      );
      expect(await metricValue(app, LAG)).toBe(0);
      const stats = await post<{ smsStats: Array<{ key: string; sent: number; suppressed: number }> }>(
        app.graphqlUrl,
        STATS,
        {
          from: new Date(Date.now() - 3_600_000).toISOString(),
          to: new Date(Date.now() + 3_600_000).toISOString(),
          filter: { campaignId: campaign.id },
        },
        headers,
      );
      expect(stats.errors).toBeUndefined();
      expect(stats.data!.smsStats).toEqual([{ key: campaign.id, sent: recipients.length, suppressed: 0 }]);
      expect(app.logs.entries().some((entry) => entry.msg === 'history writer caught up')).toBe(true);
      // Each cause was logged once for the whole outage, not once per retry.
      const failing = app.logs
        .entries()
        .filter((entry) => /^history writer (still )?failing/.test(String(entry.msg)))
        .map((entry) => `${String(entry.stage)}|${String(entry.cause)}`);
      expect(failing.length).toBeGreaterThan(0);
      expect(new Set(failing).size).toBe(failing.length);
      expect(await readyStatus(app)).toBe(200);
    } finally {
      await app.close();
      await postgres.start().catch(() => undefined);
    }
  }, 90_000);
});

describe.runIf(hasRedis)('the service started while PostgreSQL is down', () => {
  it('starts, sends, says so once; the history is opened and catches up when PostgreSQL comes up', async () => {
    const url = await databaseOnPrivateServer('outage_at_start');
    await postgres.stop();
    let app: TestApp | undefined;
    try {
      app = await startHistoryApp(url);
      expect(await readyStatus(app)).toBe(200);
      const headers = await headersFor('late-history');
      const requestIds: string[] = [];
      for (let send = 0; send < 5; send += 1) {
        const result = await publish(app, promotionInput({ endpoints: numbers(20, 900_000 + send * 100) }), headers);
        expect(result.errors).toBeUndefined();
        expect(result.data!.publishPromotionSms.sentCount).toBe(20);
        requestIds.push(result.data!.publishPromotionSms.requestId);
      }
      expect(await readyStatus(app)).toBe(200);
      await vi.waitFor(async () => expect(await metricValue(app!, ENTRIES)).toBeGreaterThanOrEqual(5), {
        timeout: 10_000,
        interval: 100,
      });
      const unreachable = () =>
        app!.logs.entries().filter((entry) => String(entry.msg).startsWith('history database not reachable'));
      await vi.waitFor(() => expect(unreachable().length).toBeGreaterThan(0), { timeout: 10_000, interval: 100 });
      expect(unreachable()[0]).toMatchObject({ level: 40 });

      await postgres.start();
      // Opening is retried every 5 s: the migrations run, then the writer drains what waited.
      await vi.waitFor(
        async () => {
          expect(await metricValue(app!, ENTRIES)).toBe(0);
          const [row] = await sql<{ total: string; distinct: string }>(
            url,
            'SELECT count(*) AS total, count(DISTINCT message_id) AS distinct FROM messages WHERE request_id = ANY($1)',
            [requestIds],
          );
          expect({ total: Number(row!.total), distinct: Number(row!.distinct) }).toEqual({ total: 100, distinct: 100 });
        },
        { timeout: 30_000, interval: 250 },
      );
      expect(app.logs.entries().some((entry) => entry.msg === 'history database reached; migrations done')).toBe(true);
      // Warned once for the outage, not once per retry (the repeat is at most once a minute).
      expect(unreachable()).toHaveLength(1);
    } finally {
      await app?.close();
      await postgres.start().catch(() => undefined);
    }
  }, 60_000);
});
