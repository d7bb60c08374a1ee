// The outbox is bounded (HISTORY_OUTBOX_MAX_ENTRIES): with PostgreSQL out of reach it fills up, and from
// then on history events are dropped and counted. Sends, opt-outs and held-back numbers go on as before.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { historyOutboxKeys } from '../../src/state/redis-history-outbox.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { metricValue, NO_QUOTA, numbers } from '../helpers/campaigns.js';
import { post } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { freePort } from '../helpers/ports.js';
import { REDIS_URL, redisForTests, uniquePrefix } from '../helpers/redis.js';
import { useStack } from '../helpers/stack.js';

const hasRedis = await redisForTests();
const stack = useStack({ app: false });
const MAX_ENTRIES = 3;
const prefix = uniquePrefix();
let app: TestApp;
let redis: Redis;

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  if (!hasRedis) return;
  // Nothing listens there: the history database is never reached, so nothing drains the outbox.
  const nowhere = `postgres://postgres@127.0.0.1:${await freePort()}/nowhere`;
  app = await startApp(
    stack.env({
      ...NO_QUOTA,
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      HISTORY_DATABASE_URL: nowhere,
      HISTORY_ERASURE_KEY: 'integration-erasure-key-0123456789abcdef',
      HISTORY_OUTBOX_MAX_ENTRIES: String(MAX_ENTRIES),
    }),
  );
});
afterAll(async () => {
  await app?.close();
  const keys = historyOutboxKeys(prefix);
  await redis?.unlink(keys.stream, keys.dropped);
  redis?.disconnect();
});

describe.runIf(hasRedis)('a full history outbox', () => {
  it('drops and counts the excess; sends, opt-outs and held-back numbers go on', async () => {
    const recipients = numbers(12, 950_000);
    // 10 sends: the first 3 fill the outbox, the other 7 `sent` events are dropped.
    for (const [index, endpoint] of recipients.slice(0, 10).entries()) {
      const result = await publish(app, promotionInput({ endpoints: [endpoint] }));
      expect(result.errors, `send ${index}`).toBeUndefined();
      expect(result.data!.publishPromotionSms.sentCount).toBe(1);
    }
    // An opt-out change (its ledger event dropped), then a send that holds that number back and sends
    // another (its `sent` and `suppressed` events dropped): each still does what it was asked.
    const stopped = recipients[10]!;
    const optOut = await post<{ addOptOuts: { changed: number } }>(
      app.graphqlUrl,
      `mutation ($e: [String!]!) { addOptOuts(input: { endpoints: $e, reason: "full outbox" }) { changed } }`,
      { e: [stopped] },
    );
    expect(optOut.errors).toBeUndefined();
    expect(optOut.data!.addOptOuts.changed).toBe(1);
    const held = await publish(app, promotionInput({ endpoints: [stopped, recipients[11]!] }));
    expect(held.errors).toBeUndefined();
    expect(held.data!.publishPromotionSms).toMatchObject({ sentCount: 1, suppressedCount: 1 });

    const keys = historyOutboxKeys(prefix);
    // The opt-out's event is appended after its reply: read once the counter has it all.
    const expectedDropped = 7 + 1 + 2;
    await vi.waitFor(
      async () => expect(await metricValue(app, 'smn_gateway_history_dropped_events')).toBe(expectedDropped),
      {
        timeout: 10_000,
        interval: 100,
      },
    );
    expect(await metricValue(app, 'smn_gateway_history_outbox_entries')).toBe(MAX_ENTRIES);
    expect(await redis.xlen(keys.stream)).toBe(MAX_ENTRIES);
    expect(Number(await redis.get(keys.dropped))).toBe(expectedDropped);
    // Dropped is not failed: Redis took every append it was asked for.
    expect(await metricValue(app, 'smn_gateway_history_append_failures_total')).toBe(0);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    // And sending still goes on, fully, with the outbox full.
    const after = await publish(app, promotionInput({ endpoints: numbers(50, 960_000) }));
    expect(after.errors).toBeUndefined();
    expect(after.data!.publishPromotionSms.sentCount).toBe(50);
    await vi.waitFor(
      async () => expect(await metricValue(app, 'smn_gateway_history_dropped_events')).toBe(expectedDropped + 1),
      { timeout: 10_000, interval: 100 },
    );
  });
});
