import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SIMULATOR_ENDINGS } from '../../src/simulator/numbers.js';
import type { TestApp } from '../helpers/app.js';
import { addRecipients, campaignReaches, createCampaign, numbers, startCampaign } from '../helpers/campaigns.js';
import { startEventsApp } from '../helpers/events.js';
import { post } from '../helpers/graphql.js';
import { promotionInput } from '../helpers/inputs.js';
import { mint } from '../helpers/jwks.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { redisForTests, uniquePrefix } from '../helpers/redis.js';
import { useStack } from '../helpers/stack.js';
import { freePort } from '../helpers/ports.js';

await redisForTests();
const stack = useStack({ auth: true, app: false, simulatorEnv: { SIMULATOR_REPORT_DELAY_MS: '150' } });
const ALL = 'sms:promotion:send sms:read sms:optout:write sms:history:read sms:erase';
let app: TestApp;
let database: { url: string; drop(): Promise<void> };

const historyEnv = () => ({
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_KEY_PREFIX: uniquePrefix(),
  HISTORY_DATABASE_URL: database.url,
  HISTORY_ERASURE_KEY: 'integration-erasure-key-0123456789abcdef',
  QUOTA_RECIPIENTS_PER_MINUTE: '0',
  QUOTA_RECIPIENTS_PER_DAY: '0',
});

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startEventsApp(stack, historyEnv());
}, 60_000);
afterAll(async () => {
  await app?.close();
  await database?.drop();
});

async function as(tenant: string, scope = ALL, subject = `${tenant}-ops`) {
  const token = await mint(stack.key, { scope, subject, claims: { tenant_id: tenant } });
  return { authorization: `Bearer ${token}` };
}

const gql = async <T = Record<string, unknown>>(
  headers: Record<string, string>,
  query: string,
  variables: Record<string, unknown> = {},
) => post<T>(app.graphqlUrl, query, variables, headers);

const ENTRY = 'messageId requestId endpoint smsTemplateId campaignId submittedAt delivery { status carrierCode }';
const HISTORY = `query History($filter: SmsHistoryFilter!, $first: Int, $after: String) {
  smsHistory(filter: $filter, first: $first, after: $after) {
    edges { cursor node { ${ENTRY} } } nodes { ${ENTRY} } pageInfo { hasNextPage endCursor }
  }
}`;
const STATS = `query Stats($from: DateTime!, $to: DateTime!, $groupBy: SmsStatsGrouping!, $filter: SmsStatsFilter) {
  smsStats(from: $from, to: $to, groupBy: $groupBy, filter: $filter) {
    key sent delivered undelivered pending unknown suppressed deliveryRate
  }
}`;
const OPT_OUT_HISTORY = `query OptOutHistory($endpoint: String!) {
  optOutHistory(endpoint: $endpoint) { action source reason at by }
}`;
const ERASE = `mutation Erase($endpoint: String!) { eraseEndpointHistory(endpoint: $endpoint) { erasedMessages } }`;
const PUBLISH = `mutation Publish($input: PublishPromotionSmsInput!) {
  publishPromotionSms(input: $input) {
    requestId sentCount suppressedCount
    results { __typename ... on SmsSent { messageId endpoint } ... on SmsFailed { endpoint code } }
  }
}`;

interface Entry {
  messageId: string;
  requestId: string;
  endpoint: string;
  smsTemplateId: string;
  campaignId: string | null;
  submittedAt: string;
  delivery: { status: string; carrierCode: string | null };
}
interface Page {
  smsHistory: {
    edges: Array<{ cursor: string; node: Entry }>;
    nodes: Entry[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}
interface Bucket {
  key: string;
  sent: number;
  delivered: number;
  undelivered: number;
  pending: number;
  unknown: number;
  suppressed: number;
  deliveryRate: number | null;
}

let serial = 0;
/** A fresh China mobile number ending in `suffix`. */
const fresh = (suffix = '4321') => `+86139${String((serial += 1) + 5000).padStart(4, '0')}${suffix}`;

async function send(headers: Record<string, string>, endpoints: string[], smsTemplateId = 'tpl-history') {
  const result = await gql<{
    publishPromotionSms: {
      requestId: string;
      sentCount: number;
      suppressedCount: number;
      results: Array<{ __typename: string; messageId?: string; endpoint: string; code?: string }>;
    };
  }>(headers, PUBLISH, { input: promotionInput({ endpoints, smsTemplateId }) });
  expect(result.errors).toBeUndefined();
  return result.data!.publishPromotionSms;
}

const history = (headers: Record<string, string>, filter: Record<string, unknown>, first = 100, after?: string) =>
  gql<Page>(headers, HISTORY, { filter, first, ...(after !== undefined && { after }) });

/** Every entry of a filter, page by page, with the cursors checked to move on. */
async function allPages(headers: Record<string, string>, filter: Record<string, unknown>, first: number) {
  const entries: Entry[] = [];
  let after: string | undefined;
  for (let page = 0; page < 1000; page += 1) {
    const result = await history(headers, filter, first, after);
    expect(result.errors).toBeUndefined();
    const { edges, nodes, pageInfo } = result.data!.smsHistory;
    expect(nodes).toEqual(edges.map((edge) => edge.node));
    if (edges.length > 0) expect(pageInfo.endCursor).toBe(edges.at(-1)!.cursor);
    entries.push(...nodes);
    if (!pageInfo.hasNextPage) return entries;
    after = pageInfo.endCursor!;
  }
  throw new Error('too many pages');
}

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
const hourAhead = () => new Date(Date.now() + 3_600_000).toISOString();
const sum = (buckets: Bucket[], field: keyof Omit<Bucket, 'key' | 'deliveryRate'>) =>
  buckets.reduce((total, bucket) => total + bucket[field], 0);

describe('history of direct sends, with delivery reports and held-back numbers', () => {
  it('keeps each message with its final status; stats add up to what was sent, suppressed counted apart', async () => {
    const acme = await as('acme-direct');
    const [stopped, delivered, undelivered, expired] = [
      fresh(),
      fresh('4321'),
      fresh(SIMULATOR_ENDINGS.undelivered),
      fresh(SIMULATOR_ENDINGS.expired),
    ];
    const optOut = await gql(
      acme,
      `mutation { addOptOuts(input: { endpoints: ["${stopped}"], reason: "asked" }) { changed } }`,
    );
    expect(optOut.errors).toBeUndefined();
    const sent = await send(acme, [stopped, delivered, undelivered, expired]);
    expect(sent).toMatchObject({ sentCount: 3, suppressedCount: 1 });

    const entries = await vi.waitFor(
      async () => {
        const page = await history(acme, { requestId: sent.requestId });
        expect(page.errors).toBeUndefined();
        const nodes = page.data!.smsHistory.nodes;
        expect(nodes.map((node) => node.delivery.status).sort()).toEqual(['DELIVERED', 'EXPIRED', 'FAILED']);
        return nodes;
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(entries.map((entry) => entry.endpoint).sort()).toEqual([delivered, expired, undelivered].sort());
    expect(entries.every((entry) => entry.requestId === sent.requestId && entry.smsTemplateId === 'tpl-history')).toBe(
      true,
    );
    expect(entries.every((entry) => entry.campaignId === null)).toBe(true);
    const byEndpoint = await history(acme, { endpoint: undelivered });
    expect(byEndpoint.data!.smsHistory.nodes).toMatchObject([
      { endpoint: undelivered, delivery: { status: 'FAILED', carrierCode: 'UNDELIV' } },
    ]);
    const failedOnly = await history(acme, { requestId: sent.requestId, status: ['FAILED', 'EXPIRED'] });
    expect(failedOnly.data!.smsHistory.nodes).toHaveLength(2);

    const stats = await vi.waitFor(
      async () => {
        const result = await gql<{ smsStats: Bucket[] }>(acme, STATS, {
          from: hourAgo(),
          to: hourAhead(),
          groupBy: 'TEMPLATE',
        });
        expect(result.errors).toBeUndefined();
        expect(result.data!.smsStats).toEqual([
          {
            key: 'tpl-history',
            sent: 3,
            delivered: 1,
            undelivered: 2,
            pending: 0,
            unknown: 0,
            suppressed: 1,
            deliveryRate: 1 / 3,
          },
        ]);
        return result.data!.smsStats;
      },
      { timeout: 15_000, interval: 200 },
    );
    for (const groupBy of ['HOUR', 'DAY', 'CAMPAIGN']) {
      const grouped = await gql<{ smsStats: Bucket[] }>(acme, STATS, { from: hourAgo(), to: hourAhead(), groupBy });
      expect(grouped.errors).toBeUndefined();
      for (const field of ['sent', 'delivered', 'undelivered', 'pending', 'unknown', 'suppressed'] as const) {
        expect(sum(grouped.data!.smsStats, field)).toBe(sum(stats, field));
      }
    }
  });
});

describe('history of a campaign', () => {
  it('every recipient once, paged by cursors; campaign stats add up; reports counted', async () => {
    const headers = await as('acme-campaign');
    const recipients = numbers(250, 700_000);
    const ending = (suffix: string) => recipients.filter((number) => number.endsWith(suffix)).length;
    const silent = ending(SIMULATOR_ENDINGS.neverReported);
    const undelivered = ending(SIMULATOR_ENDINGS.undelivered) + ending(SIMULATOR_ENDINGS.expired);
    expect(silent).toBeGreaterThan(0);
    const campaign = await createCampaign(app.graphqlUrl, { smsTemplateId: 'tpl-campaign' }, headers);
    await addRecipients(app.graphqlUrl, campaign.id, recipients, headers);
    await startCampaign(app.graphqlUrl, campaign.id, headers);
    await campaignReaches(app.graphqlUrl, campaign.id, 'COMPLETED', 30_000, headers);

    const stats = await vi.waitFor(
      async () => {
        const result = await gql<{ smsStats: Bucket[] }>(headers, STATS, {
          from: hourAgo(),
          to: hourAhead(),
          groupBy: 'CAMPAIGN',
          filter: { campaignId: campaign.id },
        });
        expect(result.errors).toBeUndefined();
        const [bucket] = result.data!.smsStats;
        expect(bucket).toMatchObject({ key: campaign.id, sent: 250, pending: silent });
        return bucket!;
      },
      { timeout: 20_000, interval: 250 },
    );
    expect(stats).toMatchObject({ delivered: 250 - silent - undelivered, undelivered, unknown: 0, suppressed: 0 });

    const entries = await allPages(headers, { campaignId: campaign.id }, 60);
    expect(entries).toHaveLength(250);
    expect(new Set(entries.map((entry) => entry.endpoint))).toEqual(new Set(recipients));
    expect(new Set(entries.map((entry) => entry.messageId)).size).toBe(250);
    expect(entries.every((entry) => entry.campaignId === campaign.id && entry.smsTemplateId === 'tpl-campaign')).toBe(
      true,
    );
    const times = entries.map((entry) => Date.parse(entry.submittedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  }, 60_000);
});

describe('the opt-out ledger', () => {
  it('keeps add, remove and a TD reply in order, with source, reason and who', async () => {
    const headers = await as('acme-ledger', ALL, 'alice');
    const number = fresh('7733');
    expect(
      (
        await gql(
          headers,
          `mutation { addOptOuts(input: { endpoints: ["${number}"], reason: "called support" }) { changed } }`,
        )
      ).errors,
    ).toBeUndefined();
    expect(
      (await gql(headers, `mutation { removeOptOuts(input: { endpoints: ["${number}"] }) { changed } }`)).errors,
    ).toBeUndefined();
    await send(headers, [number]);
    expect(await stack.simulator.reply({ endpoint: number, text: 'TD' })).toBe(200);

    const changes = await vi.waitFor(
      async () => {
        const result = await gql<{ optOutHistory: Array<Record<string, unknown>> }>(headers, OPT_OUT_HISTORY, {
          endpoint: number,
        });
        expect(result.errors).toBeUndefined();
        expect(result.data!.optOutHistory).toHaveLength(3);
        return result.data!.optOutHistory;
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(changes).toMatchObject([
      { action: 'ADDED', source: 'MANUAL', reason: 'called support', by: 'alice' },
      { action: 'REMOVED', source: 'MANUAL' },
      { action: 'ADDED', source: 'SMS_REPLY', by: null },
    ]);
    const times = changes.map((change) => Date.parse(change.at as string));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    // Another spelling of the same number reads the same ledger.
    const local = number.replace('+86', '');
    const again = await gql<{ optOutHistory: unknown[] }>(headers, OPT_OUT_HISTORY, { endpoint: local });
    expect(again.data!.optOutHistory).toHaveLength(3);
  });
});

describe('erasure', () => {
  it('the number is gone from history and the send log, stats unchanged, the opt-out honoured', async () => {
    const headers = await as('acme-erasure');
    const number = fresh('5511');
    const other = fresh('5512');
    const first = await send(headers, [number, other], 'tpl-erase');
    const second = await send(headers, [number], 'tpl-erase');
    await gql(headers, `mutation { addOptOuts(input: { endpoints: ["${number}"], reason: "erase me" }) { changed } }`);
    const statsOf = async () =>
      (await gql<{ smsStats: Bucket[] }>(headers, STATS, { from: hourAgo(), to: hourAhead(), groupBy: 'TEMPLATE' }))
        .data!.smsStats;
    const before = await vi.waitFor(
      async () => {
        const stats = await statsOf();
        expect(stats).toMatchObject([{ key: 'tpl-erase', sent: 3, pending: 0 }]);
        return stats;
      },
      { timeout: 15_000, interval: 200 },
    );

    const erased = await gql<{ eraseEndpointHistory: { erasedMessages: number } }>(headers, ERASE, {
      endpoint: number,
    });
    expect(erased.errors).toBeUndefined();
    expect(erased.data!.eraseEndpointHistory.erasedMessages).toBe(2);

    expect((await history(headers, { endpoint: number })).data!.smsHistory.nodes).toEqual([]);
    const rows = (await history(headers, { requestId: first.requestId })).data!.smsHistory.nodes;
    expect(rows.map((row) => row.endpoint).sort()).toEqual([other, expect.stringMatching(/^erased:[0-9a-f]+$/)].sort());
    expect(JSON.stringify(rows)).not.toContain(number.slice(3));
    const messageId = second.results[0]!.messageId!;
    const fromSendLog = await gql<{ sentSms: { endpoint: string } | null }>(
      headers,
      `query ($id: String!) { sentSms(messageId: $id) { endpoint } }`,
      { id: messageId },
    );
    expect(fromSendLog.data!.sentSms!.endpoint).toMatch(/^erased:/);
    expect(await statsOf()).toEqual(before);

    // The opt-out is kept: the number is still held back, and its ledger is still there.
    const held = await send(headers, [number], 'tpl-erase');
    expect(held.results[0]).toMatchObject({ code: 'OPTED_OUT' });
    const ledger = await gql<{ optOutHistory: unknown[] }>(headers, OPT_OUT_HISTORY, { endpoint: number });
    expect(ledger.data!.optOutHistory).toHaveLength(1);
  });
});

describe('erasure while the history is behind', () => {
  it('messages still in the outbox arrive erased, and their send-log copies are masked when written', async () => {
    const env = { ...historyEnv(), HISTORY_WRITER: 'false' };
    const headers = await as('behind');
    const number = fresh('3311');
    await stack.withApp(env, async (behind) => {
      const sent = await post<{ publishPromotionSms: { requestId: string; results: Array<{ messageId: string }> } }>(
        behind.graphqlUrl,
        PUBLISH,
        { input: promotionInput({ endpoints: [number] }) },
        headers,
      );
      const messageId = sent.data!.publishPromotionSms.results[0]!.messageId;
      // The history opens in the background (deferred-store.ts) and answers HISTORY_UNAVAILABLE until it
      // has (under CI load, after the first send): wait until a read answers.
      await vi.waitFor(
        async () => {
          const filter = { requestId: sent.data!.publishPromotionSms.requestId };
          expect((await post<Page>(behind.graphqlUrl, HISTORY, { filter }, headers)).data).toBeTruthy();
        },
        { timeout: 15_000, interval: 100 },
      );
      // Nothing is written yet (no writer): the erasure finds nothing in PostgreSQL.
      const erased = await post<{ eraseEndpointHistory: { erasedMessages: number } }>(
        behind.graphqlUrl,
        ERASE,
        { endpoint: number },
        headers,
      );
      expect(erased.data!.eraseEndpointHistory.erasedMessages).toBe(0);
      const read = () =>
        post<{ sentSms: { endpoint: string } | null }>(
          behind.graphqlUrl,
          `query ($id: String!) { sentSms(messageId: $id) { endpoint } }`,
          { id: messageId },
          headers,
        );
      expect((await read()).data!.sentSms!.endpoint).toBe(number);
      // A writer comes (another replica): the message arrives erased, and the send log is masked.
      await stack.withApp({ ...env, HISTORY_WRITER: 'true' }, async () => {
        await vi.waitFor(async () => expect((await read()).data!.sentSms!.endpoint).toMatch(/^erased:[0-9a-f]+$/), {
          timeout: 15_000,
          interval: 200,
        });
      });
      const rows = await post<Page>(
        behind.graphqlUrl,
        HISTORY,
        { filter: { requestId: sent.data!.publishPromotionSms.requestId } },
        headers,
      );
      expect(rows.data!.smsHistory.nodes.map((node) => node.endpoint)).toEqual([
        expect.stringMatching(/^erased:[0-9a-f]+$/),
      ]);
    });
  });
});

describe('tenant isolation on every history query', () => {
  it("another tenant's data answers exactly like no data, and its erasure touches nothing of ours", async () => {
    const acme = await as('iso-acme');
    const globex = await as('iso-globex');
    const number = fresh('6611');
    const sent = await send(acme, [number], 'tpl-iso');
    await gql(acme, `mutation { addOptOuts(input: { endpoints: ["${fresh('6612')}"] }) { changed } }`);
    await vi.waitFor(
      async () => expect((await history(acme, { requestId: sent.requestId })).data!.smsHistory.nodes).toHaveLength(1),
      { timeout: 15_000, interval: 200 },
    );
    const none = { edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
    expect((await history(globex, { requestId: sent.requestId })).data!.smsHistory).toEqual(none);
    expect((await history(globex, { endpoint: number })).data!.smsHistory).toEqual(none);
    const stats = await gql<{ smsStats: Bucket[] }>(globex, STATS, {
      from: hourAgo(),
      to: hourAhead(),
      groupBy: 'DAY',
    });
    expect(stats.data!.smsStats).toEqual([]);
    expect((await gql(globex, OPT_OUT_HISTORY, { endpoint: number })).data).toEqual({ optOutHistory: [] });
    const erased = await gql<{ eraseEndpointHistory: { erasedMessages: number } }>(globex, ERASE, { endpoint: number });
    expect(erased.data!.eraseEndpointHistory.erasedMessages).toBe(0);
    expect((await history(acme, { endpoint: number })).data!.smsHistory.nodes).toHaveLength(1);
    // A cursor of one tenant's page is refused for another's query like any foreign cursor.
    const page = await history(acme, { requestId: sent.requestId }, 1);
    const cursor = page.data!.smsHistory.edges[0]!.cursor;
    const reused = await history(globex, { requestId: sent.requestId }, 1, cursor);
    expect(reused.data?.smsHistory ?? none).toEqual(none);
  });

  it('scopes: sms:history:read for history and stats, sms:erase to erase, sms:read for the ledger', async () => {
    const reader = await as('scopes', 'sms:read');
    const denied = await history(reader, { requestId: 'x' });
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const stats = await gql(reader, STATS, { from: hourAgo(), to: hourAhead(), groupBy: 'DAY' });
    expect(stats.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(reader, ERASE, { endpoint: fresh() })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await gql(reader, OPT_OUT_HISTORY, { endpoint: fresh() })).errors).toBeUndefined();
  });
});

describe('what smsHistory refuses', () => {
  it('no filter, a range over 31 days, a tampered cursor: BAD_USER_INPUT, nothing read', async () => {
    const headers = await as('refusals');
    const empty = await history(headers, {});
    expect(empty.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const long = await history(headers, {
      from: new Date(Date.now() - 40 * 86_400_000).toISOString(),
      to: new Date().toISOString(),
    });
    expect(long.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const ranged = await history(headers, { from: hourAgo(), to: hourAhead() });
    expect(ranged.errors).toBeUndefined();
    const tampered = await history(headers, { from: hourAgo(), to: hourAhead() }, 10, 'eyJ0IjoxfQ.AAAA');
    expect(tampered.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const huge = await history(headers, { requestId: 'r'.repeat(100_000) });
    expect(huge.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(huge.text.length).toBeLessThan(2_000);
  });

  it('values are data, never SQL: quotes, comments and a DROP in every filter read nothing and break nothing', async () => {
    const headers = await as('injection');
    const hostile = "x'); DROP TABLE messages; --";
    for (const filter of [
      { requestId: hostile },
      { campaignId: hostile },
      { requestId: 'r', smsTemplateId: `${hostile}\\' OR '1'='1` },
    ]) {
      const result = await history(headers, filter);
      expect(result.errors).toBeUndefined();
      expect(result.data!.smsHistory.nodes).toEqual([]);
    }
    const stats = await gql<{ smsStats: Bucket[] }>(headers, STATS, {
      from: hourAgo(),
      to: hourAhead(),
      groupBy: 'TEMPLATE',
      filter: { smsTemplateId: hostile, campaignId: hostile },
    });
    expect(stats.data!.smsStats).toEqual([]);
    // The table is still there: another tenant's earlier sends still read.
    const sent = await send(headers, [fresh('9911')], hostile.replaceAll(/[^a-z]/gi, ''));
    await vi.waitFor(
      async () =>
        expect((await history(headers, { requestId: sent.requestId })).data!.smsHistory.nodes).toHaveLength(1),
      { timeout: 15_000, interval: 200 },
    );
  });
});

describe('when the send log has forgotten', () => {
  it('sentSms and promotionSmsRequest answer from the history', async () => {
    await stack.withApp({ ...historyEnv(), SEND_LOG_TTL_SECONDS: '1' }, async (short) => {
      const headers = await as('fallback');
      const result = await post<{ publishPromotionSms: { requestId: string; results: Array<{ messageId: string }> } }>(
        short.graphqlUrl,
        PUBLISH,
        { input: promotionInput({ endpoints: [fresh('8811'), fresh('8812')] }) },
        headers,
      );
      const { requestId, results } = result.data!.publishPromotionSms;
      const messageId = results[0]!.messageId;
      const read = () =>
        post<{
          sentSms: { messageId: string; endpoint: string } | null;
          promotionSmsRequest: { requestId: string; messages: Array<{ messageId: string }> } | null;
        }>(
          short.graphqlUrl,
          `query ($m: String!, $r: String!) {
              sentSms(messageId: $m) { messageId endpoint }
              promotionSmsRequest(requestId: $r) { requestId messages { messageId } }
            }`,
          { m: messageId, r: requestId },
          headers,
        );
      // Once in the history and gone from the send log (1 s), both still answer.
      await vi.waitFor(
        async () => {
          const page = await post<Page>(short.graphqlUrl, HISTORY, { filter: { requestId } }, headers);
          expect(page.data?.smsHistory.nodes).toHaveLength(2);
        },
        { timeout: 15_000, interval: 200 },
      );
      await new Promise((resolve) => setTimeout(resolve, 1_200));
      const answer = await read();
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.sentSms).toMatchObject({ messageId });
      expect(answer.data!.promotionSmsRequest!.messages.map((message) => message.messageId)).toEqual(
        results.map((sent) => sent.messageId),
      );
      const stranger = await post<{ sentSms: unknown }>(
        short.graphqlUrl,
        `query ($m: String!) { sentSms(messageId: $m) { messageId } }`,
        { m: messageId },
        await as('stranger'),
      );
      expect(stranger.data!.sentSms).toBeNull();
    });
  });
});

describe('history database out of reach', () => {
  it('the service starts and sends; history reads answer HISTORY_UNAVAILABLE, the send log still answers', async () => {
    const port = await freePort();
    await stack.withApp(
      { ...historyEnv(), HISTORY_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/nowhere` },
      async (cut: TestApp) => {
        const headers = await as('cut-off');
        const sent = await post<{ publishPromotionSms: { requestId: string; sentCount: number } }>(
          cut.graphqlUrl,
          PUBLISH,
          { input: promotionInput() },
          headers,
        );
        expect(sent.errors).toBeUndefined();
        expect(sent.data!.publishPromotionSms.sentCount).toBe(1);
        const asked = await post(cut.graphqlUrl, HISTORY, { filter: { requestId: 'r' } }, headers);
        expect(asked.errors?.[0]?.extensions).toMatchObject({ code: 'HISTORY_UNAVAILABLE', delivery: 'NOT_SENT' });
        expect(asked.errors?.[0]?.message).not.toContain(String(port));
        const request = await post<{ promotionSmsRequest: { requestId: string } | null }>(
          cut.graphqlUrl,
          `query ($r: String!) { promotionSmsRequest(requestId: $r) { requestId } }`,
          { r: sent.data!.publishPromotionSms.requestId },
          headers,
        );
        expect(request.data!.promotionSmsRequest).toMatchObject({
          requestId: sent.data!.publishPromotionSms.requestId,
        });
        expect((await fetch(`${cut.url}/readyz`)).status).toBe(200);
      },
    );
  });
});

describe('history off', () => {
  it('every history field answers HISTORY_DISABLED; sends work as before', async () => {
    await stack.withApp({}, async (plain: TestApp) => {
      const headers = await as('off');
      const asked = await post(plain.graphqlUrl, HISTORY, { filter: { requestId: 'r' } }, headers);
      expect(asked.errors?.[0]?.extensions?.code).toBe('HISTORY_DISABLED');
      const erase = await post(plain.graphqlUrl, ERASE, { endpoint: fresh() }, headers);
      expect(erase.errors?.[0]?.extensions?.code).toBe('HISTORY_DISABLED');
      const sent = await post(plain.graphqlUrl, PUBLISH, { input: promotionInput() }, headers);
      expect(sent.errors).toBeUndefined();
    });
  });
});
