import { afterEach, describe, expect, it, vi } from 'vitest';
import { SentSmsDocument, type PublishPromotionSmsInput } from '../../client/generated.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { startAppProcess } from '../helpers/app-process.js';
import { execute } from '../helpers/graphql.js';
import { publish } from '../helpers/inputs.js';
import { useStack } from '../helpers/stack.js';
import { REDIS_URL, redisForTests, startPrivateRedis, uniquePrefix } from '../helpers/redis.js';

const hasRedis = await redisForTests();

const stack = useStack({ app: false });
const apps: TestApp[] = [];

async function replicas(count: number, env: Record<string, string> = {}): Promise<TestApp[]> {
  const shared = { REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix(), ...env };
  const started = await Promise.all(Array.from({ length: count }, () => startApp(stack.env(shared))));
  apps.push(...started);
  return started;
}

const input = (
  idempotencyKey?: string,
  endpoints = ['+8613800001001', '+8613800001002'],
): PublishPromotionSmsInput => ({
  endpoints,
  smsTemplateId: 'tpl',
  ...(idempotencyKey !== undefined && { idempotencyKey }),
});

describe.skipIf(!hasRedis)('shared state on Redis: several replicas behave as one', () => {
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await stack.simulator.reset();
  });

  it('200 concurrent requests with one key on two replicas: one upstream call, 200 identical answers', async () => {
    const [a, b] = await replicas(2);
    await stack.simulator.fault({ kind: 'latency', latencyMs: 300, times: 1 });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, index) => publish(index % 2 ? a! : b!, input('campaign-42'))),
    );
    expect(await stack.simulator.requests()).toHaveLength(1);
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    const payloads = answers.map((answer) => answer.data!.publishPromotionSms);
    expect(payloads.filter((payload) => !payload.replayed)).toHaveLength(1);
    const comparable = payloads.map(({ replayed: _replayed, ...rest }) => JSON.stringify(rest));
    expect(new Set(comparable).size).toBe(1);
  });

  it('refuses the same key with a changed input, on any replica', async () => {
    const [a, b] = await replicas(2);
    expect((await publish(a!, input('k-reuse'))).errors).toBeUndefined();
    const reused = await publish(b!, input('k-reuse', ['+8613800001009']));
    expect(reused.errors?.[0]?.extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', delivery: 'NOT_SENT' });
    expect(await stack.simulator.requests()).toHaveLength(1);
  });

  it('an upstream that hangs past the timeout, retried with the key: still exactly one upstream call', async () => {
    const [a, b] = await replicas(2, { SMN_TIMEOUT_MS: '300', SMN_CONNECT_TIMEOUT_MS: '200' });
    await stack.simulator.fault({ kind: 'hang', times: 1 });
    const first = await publish(a!, input('k-hang'));
    expect(first.errors?.[0]?.extensions).toMatchObject({ code: 'SMN_UNAVAILABLE', delivery: 'UNKNOWN' });
    expect(first.errors?.[0]?.extensions?.replayed).toBeUndefined();
    for (const replica of [a!, b!]) {
      const retry = await publish(replica, input('k-hang'));
      expect(retry.errors?.[0]?.extensions).toMatchObject({
        code: 'SMN_UNAVAILABLE',
        delivery: 'UNKNOWN',
        replayed: true,
      });
    }
    expect(await stack.simulator.requests()).toHaveLength(1);
  });

  it('a replica killed mid-send (SIGKILL), then a retry on another: no second send', async () => {
    const prefix = uniquePrefix();
    const env = stack.env({ REDIS_URL, REDIS_KEY_PREFIX: prefix });
    const doomed = await startAppProcess(env);
    const [survivor] = await (async () => {
      const app = await startApp({ ...env, IDEMPOTENCY_WAIT_MS: '300' });
      apps.push(app);
      return [app];
    })();
    await stack.simulator.fault({ kind: 'latency', latencyMs: 1500, times: 1 });
    const inFlight = publish(doomed, input('k-kill')).catch((error: unknown) => error);
    // The send has reached SMN (the simulator records it on arrival, then holds its answer 1.5 s).
    await vi.waitFor(async () => expect(await stack.simulator.requests()).toHaveLength(1), { timeout: 10_000 });
    await doomed.kill('SIGKILL');
    await inFlight;

    const retry = await publish(survivor!, input('k-kill'));
    expect(retry.errors?.[0]?.extensions).toMatchObject({
      code: 'SMN_UNAVAILABLE',
      delivery: 'UNKNOWN',
      replayed: true,
    });
    // Closing the survivor drains everything it still had in flight: if it were to send again, it
    // would have by now.
    await survivor!.close();
    apps.splice(apps.indexOf(survivor!), 1);
    expect(await stack.simulator.requests()).toHaveLength(1);
  });

  it('quotas hold across replicas', async () => {
    const [a, b] = await replicas(2, { QUOTA_RECIPIENTS_PER_MINUTE: '3' });
    expect((await publish(a!, input())).errors).toBeUndefined();
    const refused = await publish(b!, input());
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(await stack.simulator.requests()).toHaveLength(1);
  });

  it('shares the send log: a message sent through one replica is found through another', async () => {
    const [a, b] = await replicas(2);
    const sent = await publish(a!, input());
    const first = sent.data!.publishPromotionSms.results[0]!;
    const messageId = first.__typename === 'SmsSent' ? first.messageId : '';
    const found = await execute(b!.graphqlUrl, SentSmsDocument, { messageId });
    expect(found.data?.sentSms).toMatchObject({ messageId, endpoint: '+8613800001001', smsTemplateId: 'tpl' });
    expect(new Date(found.data!.sentSms!.submittedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it('Redis out of reach mid-test: sends refused with STATE_UNAVAILABLE and readiness false; back: sends work', async () => {
    const redis = await startPrivateRedis();
    try {
      const app = await startApp(stack.env({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix() }));
      apps.push(app);
      expect((await publish(app, input('before'))).errors).toBeUndefined();
      expect((await fetch(`${app.url}/readyz`)).status).toBe(200);

      // Frozen (SIGSTOP): nothing answers, nothing is lost. (A restart that loses data is STATE_LOST:
      // test/integration/redis-state-loss.test.ts.)
      redis.pause();
      // The app has noticed: readiness reports shared state down.
      await vi.waitFor(async () => expect((await fetch(`${app.url}/readyz`)).status).toBe(503), { timeout: 10_000 });
      for (const key of ['during', undefined]) {
        const refused = await publish(app, input(key, ['+8613800001003']));
        expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'STATE_UNAVAILABLE', delivery: 'NOT_SENT' });
      }
      expect((await fetch(`${app.url}/readyz`)).status).toBe(503);
      expect(await stack.simulator.requests()).toHaveLength(1);

      redis.resume();
      await vi.waitFor(async () => expect((await fetch(`${app.url}/readyz`)).status).toBe(200), { timeout: 10_000 });
      expect((await publish(app, input('after', ['+8613800001004']))).errors).toBeUndefined();
      expect(await stack.simulator.requests()).toHaveLength(2);
    } finally {
      redis.resume();
      await redis.stop();
    }
  });
});
