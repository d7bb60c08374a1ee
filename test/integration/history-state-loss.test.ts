import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { acceptStateLoss } from '../../src/state/state-admin.js';
import { Redis } from 'ioredis';
import { startApp, type TestApp } from '../helpers/app.js';
import { post } from '../helpers/graphql.js';
import { promotionInput } from '../helpers/inputs.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { uniquePrefix } from '../helpers/redis.js';
import { startStandalone, stopAll } from '../helpers/redis-topologies.js';
import { useStack } from '../helpers/stack.js';

const stack = useStack({ app: false });
let database: { url: string; drop(): Promise<void> };
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await stopAll();
  await database?.drop();
});

const PUBLISH = `mutation Publish($input: PublishPromotionSmsInput!) {
  publishPromotionSms(input: $input) { results { __typename ... on SmsFailed { code } } }
}`;
const OPT_OUT_HISTORY = `query ($e: String!) { optOutHistory(endpoint: $e) { action source } }`;

async function readiness(app: TestApp) {
  const response = await fetch(`${app.url}/readyz`);
  return { status: response.status, body: (await response.json()) as { state: { reason?: string } } };
}

describe('a Redis that lost its data: the opt-out list is rebuilt from the ledger before sends resume', () => {
  it('after accept-loss the numbers that said stop are held back again, with their source', async () => {
    const redis = await startStandalone({ persistence: 'none' });
    const prefix = uniquePrefix();
    const app = await startApp(
      stack.env({
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: prefix,
        REDIS_CHECK_INTERVAL_MS: '200',
        HISTORY_DATABASE_URL: database.url,
        HISTORY_ERASURE_KEY: 'state-loss-erasure-key-0123456789abcdef',
      }),
    );
    try {
      const [stopped, restarted, plain] = ['+8613700001111', '+8613700002222', '+8613700003333'];
      const add = (endpoints: string[], reason: string) =>
        post(
          app.graphqlUrl,
          `mutation ($e: [String!]!, $r: String) { addOptOuts(input: { endpoints: $e, reason: $r }) { changed } }`,
          {
            e: endpoints,
            r: reason,
          },
        );
      expect((await add([stopped, restarted], 'asked')).errors).toBeUndefined();
      expect(
        (
          await post(
            app.graphqlUrl,
            `mutation ($e: [String!]!) { removeOptOuts(input: { endpoints: $e }) { changed } }`,
            {
              e: [restarted],
            },
          )
        ).errors,
      ).toBeUndefined();
      // The ledger has both changes before Redis goes.
      await vi.waitFor(
        async () => {
          const ledger = await post<{ optOutHistory: unknown[] }>(app.graphqlUrl, OPT_OUT_HISTORY, { e: restarted });
          expect(ledger.data?.optOutHistory).toHaveLength(2);
        },
        { timeout: 15_000, interval: 100 },
      );

      await redis.cli('FLUSHALL');
      await vi.waitFor(async () => expect((await readiness(app)).body.state.reason).toMatch(/STATE_LOST/), {
        timeout: 10_000,
      });

      const client = new Redis(redis.url);
      try {
        await acceptStateLoss(client, prefix);
      } finally {
        client.disconnect();
      }
      await vi.waitFor(async () => expect((await readiness(app)).status).toBe(200), { timeout: 15_000 });
      expect(app.logs.entries().some((entry) => entry.msg === 'opt-out list rebuilt from the history ledger')).toBe(
        true,
      );

      const sent = await post<{ publishPromotionSms: { results: Array<{ __typename: string; code?: string }> } }>(
        app.graphqlUrl,
        PUBLISH,
        { input: promotionInput({ endpoints: [stopped, restarted, plain] }) },
      );
      expect(sent.errors).toBeUndefined();
      expect(sent.data!.publishPromotionSms.results).toEqual([
        { __typename: 'SmsFailed', code: 'OPTED_OUT' },
        { __typename: 'SmsSent' },
        { __typename: 'SmsSent' },
      ]);
      const listed = await post<{
        optOuts: Array<{ optedOut: boolean; source: string | null; reason: string | null }>;
      }>(app.graphqlUrl, `query ($e: [String!]!) { optOuts(endpoints: $e) { optedOut source reason } }`, {
        e: [stopped],
      });
      expect(listed.data!.optOuts).toEqual([{ optedOut: true, source: 'MANUAL', reason: 'asked' }]);
    } finally {
      await app.close();
      await redis.stop();
    }
  }, 60_000);
});
