import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { AddOptOutsDocument, OptOutsDocument } from '../../client/generated.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { freePort } from '../helpers/ports.js';
import { REDIS_URL, redisForTests, startPrivateRedis, uniquePrefix } from '../helpers/redis.js';
import { useStack, withApp } from '../helpers/stack.js';

const hasRedis = await redisForTests();
const stack = useStack({ app: false });

let next = 7000;
const chinaMobile = () => `137${String((next += 1)).padStart(8, '0')}`;

async function replicas(count: number, env: Record<string, string>): Promise<TestApp[]> {
  return Promise.all(Array.from({ length: count }, () => startApp(stack.env(env))));
}

describe.skipIf(!hasRedis)('opt-outs and the daily limit on Redis, across replicas', () => {
  it('50 concurrent sends of one number over two replicas, limit 2: exactly 2 SmsSent', async () => {
    const apps = await replicas(2, { REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix(), PER_NUMBER_DAILY_LIMIT: '2' });
    try {
      const number = chinaMobile();
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, index) => publish(apps[index % 2]!, promotionInput({ endpoints: [number] }))),
      );
      const results = answers.map((answer) => answer.data?.publishPromotionSms.results[0]);
      expect(results.filter((result) => result?.__typename === 'SmsSent')).toHaveLength(2);
      expect(
        results.filter((result) => result && 'code' in result && result.code === 'DAILY_LIMIT_REACHED'),
      ).toHaveLength(48);
    } finally {
      await Promise.all(apps.map((app) => app.close()));
    }
  });

  it('a send that never reached SMN (connection refused) gives its reservation back', async () => {
    const shared = { REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix(), PER_NUMBER_DAILY_LIMIT: '1' };
    const number = chinaMobile();
    const deadPort = await freePort();
    await withApp(stack.env({ ...shared, SMN_ENDPOINT: `http://127.0.0.1:${deadPort}` }), async (unreachable) => {
      const refused = await publish(unreachable, promotionInput({ endpoints: [number] }));
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'SMN_UNAVAILABLE', delivery: 'NOT_SENT' });
    });
    await withApp(stack.env(shared), async (app) => {
      const sent = await publish(app, promotionInput({ endpoints: [number] }));
      expect(sent.data?.publishPromotionSms.results[0]?.__typename).toBe('SmsSent');
    });
  });

  it('opt-outs survive a restart of the app', async () => {
    const shared = { REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix() };
    const number = chinaMobile();
    await withApp(stack.env(shared), async (app) => {
      const added = await execute(app.graphqlUrl, AddOptOutsDocument, { input: { endpoints: [number], reason: 'TD' } });
      expect(added.data?.addOptOuts.changed).toBe(1);
    });
    await withApp(stack.env(shared), async (app) => {
      const status = await execute(app.graphqlUrl, OptOutsDocument, { endpoints: [`+86${number}`] });
      expect(status.data?.optOuts[0]).toMatchObject({ optedOut: true, source: 'MANUAL', reason: 'TD' });
      const held = await publish(app, promotionInput({ endpoints: [number] }));
      expect(held.data?.publishPromotionSms.results[0]).toMatchObject({ code: 'OPTED_OUT' });
    });
  });

  it('an opt-out an older version stored as written (+86013…, +860013…) holds back every spelling, re-keyed on first use', async () => {
    const shared = { REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix() };
    const [first, second] = [chinaMobile(), chinaMobile()];
    // The list as the version before libphonenumber-js left it: "+" forms kept as written, no form marker.
    const redis = new Redis(REDIS_URL);
    const list = `${shared.REDIS_KEY_PREFIX}v1:optout:${createHash('sha256').update('').digest('hex').slice(0, 32)}`;
    const record = { source: 'MANUAL', reason: 'TD', since: '2026-11-01T00:00:00.000Z' };
    await redis.hset(list, { [`+860${first}`]: JSON.stringify(record), [`+8600${second}`]: JSON.stringify(record) });
    try {
      await stack.simulator.reset();
      await withApp(stack.env(shared), async (app) => {
        for (const spelling of [`+86${first}`, first, `+8600${first}`, `86${second}`, `+860${second}`]) {
          const held = await publish(app, promotionInput({ endpoints: [spelling] }));
          expect(held.data?.publishPromotionSms.results[0]).toMatchObject({ endpoint: spelling, code: 'OPTED_OUT' });
        }
        const status = await execute(app.graphqlUrl, OptOutsDocument, { endpoints: [first] });
        expect(status.data?.optOuts[0]).toMatchObject({ optedOut: true, reason: 'TD', since: record.since });
        expect(
          app.logs.entries().find((entry) => entry.msg === 'opt-outs re-keyed to canonical numbers'),
        ).toMatchObject({
          rekeyed: 2,
          unreadable: 0,
        });
      });
      expect((await redis.hkeys(list)).sort()).toEqual([`+86${first}`, `+86${second}`].sort());
      expect(await stack.simulator.requests()).toEqual([]);
      // The next start finds the list re-keyed for this library version: serving the tenant reads nothing.
      await withApp(stack.env(shared), async (app) => {
        const held = await publish(app, promotionInput({ endpoints: [first] }));
        expect(held.data?.publishPromotionSms.results[0]).toMatchObject({ code: 'OPTED_OUT' });
        expect(app.logs.text).not.toContain('re-keyed');
      });
    } finally {
      redis.disconnect();
    }
  });

  it('Redis out of reach: sends and opt-out changes fail closed with STATE_UNAVAILABLE; nothing is sent', async () => {
    const redis = await startPrivateRedis();
    try {
      await withApp(stack.env({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix() }), async (app) => {
        await stack.simulator.reset();
        await redis.stop();
        // The app has noticed: readiness reports shared state down.
        await vi.waitFor(async () => expect((await fetch(`${app.url}/readyz`)).status).toBe(503), { timeout: 10_000 });
        const send = await publish(app, promotionInput({ endpoints: [chinaMobile()] }));
        expect(send.errors?.[0]?.extensions).toMatchObject({ code: 'STATE_UNAVAILABLE', delivery: 'NOT_SENT' });
        const add = await execute(app.graphqlUrl, AddOptOutsDocument, { input: { endpoints: [chinaMobile()] } });
        expect(add.errors?.[0]?.extensions?.code).toBe('STATE_UNAVAILABLE');
        expect(await stack.simulator.requests()).toEqual([]);
      });
    } finally {
      await redis.stop();
    }
  });
});
