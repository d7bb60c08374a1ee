import { spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AddOptOutsDocument } from '../../client/generated.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { redisForTests, uniquePrefix } from '../helpers/redis.js';
import { startStandalone, stopAll } from '../helpers/redis-topologies.js';
import { LogCapture } from '../helpers/log-capture.js';
import { createLogger } from '../../src/observability/logger.js';
import { checkRedisPolicy } from '../../src/state/redis-startup.js';
import { useStack } from '../helpers/stack.js';

await redisForTests();
const stack = useStack({ app: false });
afterAll(() => stopAll());

let next = 0;
const number = () => `+86137${String((next += 1)).padStart(8, '0')}`;

/** The operator command, run as operators run it: the same settings, its own process. */
function cli(env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

async function readiness(app: TestApp) {
  const response = await fetch(`${app.url}/readyz`);
  return { status: response.status, body: (await response.json()) as { state: Record<string, unknown> } };
}

describe('state you can trust on one Redis: loss detected, eviction refused, OOM and bad credentials named', () => {
  it('a restart without persistence: STATE_LOST everywhere (a late replica too) until `state accept-loss`', async () => {
    const redis = await startStandalone({ persistence: 'none' });
    const env = stack.env({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix() });
    const a = await startApp(env);
    try {
      const readyBefore = await readiness(a);
      expect(readyBefore.status).toBe(200);
      expect(readyBefore.body.state).toMatchObject({ ready: true, topology: 'standalone' });
      expect((await publish(a, promotionInput({ endpoints: [number()] }))).errors).toBeUndefined();
      await stack.simulator.reset();

      await redis.kill();
      await redis.start(); // empty: it kept nothing on disk
      await vi.waitFor(
        async () => {
          const sent = await publish(a, promotionInput({ endpoints: [number()], idempotencyKey: 'after-loss' }));
          expect(sent.errors?.[0]?.extensions).toMatchObject({ code: 'STATE_LOST', delivery: 'NOT_SENT' });
        },
        { timeout: 15_000, interval: 100 },
      );
      const unkeyed = await publish(a, promotionInput({ endpoints: [number()] }));
      expect(unkeyed.errors?.[0]?.extensions).toMatchObject({ code: 'STATE_LOST', delivery: 'NOT_SENT' });
      const optOut = await execute(a.graphqlUrl, AddOptOutsDocument, { input: { endpoints: [number()] } });
      expect(optOut.errors?.[0]?.extensions?.code).toBe('STATE_LOST');
      const ready = await readiness(a);
      expect(ready.status).toBe(503);
      expect(String(ready.body.state.reason)).toMatch(/^STATE_LOST: the state marker written .* is gone/);
      expect(a.logs.entries().some((entry) => /STATE LOST: .*accept-loss/.test(String(entry.msg)))).toBe(true);

      // A replica that starts now finds the loss recorded and refuses as well.
      const b = await startApp(env);
      try {
        const late = await publish(b, promotionInput({ endpoints: [number()] }));
        expect(late.errors?.[0]?.extensions).toMatchObject({ code: 'STATE_LOST', delivery: 'NOT_SENT' });
        expect(await stack.simulator.requests()).toEqual([]);

        const status = await cli(env, 'state', 'status');
        expect(status.code).toBe(0);
        expect(status.out).toContain('"lost"');
        const accepted = await cli(env, 'state', 'accept-loss');
        expect(accepted.code, accepted.out).toBe(0);
        expect(accepted.out).toContain('"by": "accept-loss"');

        for (const app of [a, b]) {
          await vi.waitFor(async () => expect((await readiness(app)).status).toBe(200), { timeout: 10_000 });
          expect((await publish(app, promotionInput({ endpoints: [number()] }))).errors).toBeUndefined();
        }
        expect(await stack.simulator.requests()).toHaveLength(2);
      } finally {
        await b.close();
      }
    } finally {
      await a.close();
      await redis.stop();
    }
  });

  it('FLUSHALL under a running replica is a loss too, noticed without a reconnect; a restored backup lifts it', async () => {
    const redis = await startStandalone({ persistence: 'none' });
    const prefix = uniquePrefix();
    const app = await startApp(
      stack.env({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix, REDIS_CHECK_INTERVAL_MS: '200' }),
    );
    try {
      const marker = `${prefix}v1:state:{m0}`;
      const backup = await redis.cli('GET', marker);
      await redis.cli('FLUSHALL');
      await vi.waitFor(async () => expect((await readiness(app)).body.state.reason).toMatch(/STATE_LOST/), {
        timeout: 10_000,
      });
      const sent = await publish(app, promotionInput({ endpoints: [number()] }));
      expect(sent.errors?.[0]?.extensions).toMatchObject({ code: 'STATE_LOST', delivery: 'NOT_SENT' });

      // The backup comes back (it holds the marker seen before and no loss record): sending resumes.
      await redis.cli('FLUSHALL');
      await redis.cli('SET', marker, backup);
      await vi.waitFor(async () => expect((await readiness(app)).status).toBe(200), { timeout: 10_000 });
      expect((await publish(app, promotionInput({ endpoints: [number()] }))).errors).toBeUndefined();
    } finally {
      await app.close();
      await redis.stop();
    }
  });

  it('/readyz attacked: 200 at once cost Redis one check; a frozen Redis answers them all 503 within the deadline', async () => {
    const redis = await startStandalone();
    const app = await startApp(
      stack.env({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix(), REDIS_CHECK_INTERVAL_MS: '60000' }),
    );
    const setCalls = async () =>
      Number(/cmdstat_set:calls=(\d+)/.exec(await redis.cli('INFO', 'commandstats'))?.[1] ?? 0);
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // past the start's check: the next is a fresh one
      const before = await setCalls();
      const sentAt = performance.now();
      const answers = await Promise.all(Array.from({ length: 200 }, () => fetch(`${app.url}/readyz`)));
      const spreadMs = performance.now() - sentAt;
      expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 200 }, () => 200));
      // One probe write per check, and a check's answer is reused for 250 ms: however long this busy
      // machine took to deliver the 200 requests, they shared at most one check per 250 ms of it (plus
      // the one in flight when they began), never one each.
      const checks = (await setCalls()) - before;
      expect(checks).toBeLessThanOrEqual(2 + Math.floor(spreadMs / 250));
      expect(checks).toBeLessThan(20);

      // Frozen mid-way (SIGSTOP): a check in flight never answers; its deadline (3 s) answers for it.
      redis.pause();
      await new Promise((resolve) => setTimeout(resolve, 300)); // past the 250 ms a check's answer is reused
      const began = Date.now();
      const frozen = await Promise.all(Array.from({ length: 50 }, () => fetch(`${app.url}/readyz`)));
      expect(frozen.map((answer) => answer.status)).toEqual(Array.from({ length: 50 }, () => 503));
      expect(Date.now() - began).toBeLessThan(4_500);
    } finally {
      redis.resume();
      await app.close();
      await redis.stop();
    }
  });

  it('maxmemory-policy allkeys-lru: refused at start, saying why', async () => {
    const redis = await startStandalone({ maxmemoryPolicy: 'allkeys-lru' });
    try {
      await expect(startApp(stack.env({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix() }))).rejects.toThrow(
        /maxmemory-policy allkeys-lru.*noeviction/,
      );
    } finally {
      await redis.stop();
    }
  });

  it('in production, a Redis that keeps nothing on disk is warned about; one with AOF is not', async () => {
    for (const persistence of ['none', 'aof'] as const) {
      const redis = await startStandalone({ persistence });
      const client = new Redis(redis.url);
      const capture = new LogCapture();
      try {
        await checkRedisPolicy(client, true, createLogger({ level: 'info', pretty: false, destination: capture }));
        const warned = capture.entries().some((entry) => /keeps nothing on disk/.test(String(entry.msg)));
        expect(warned, persistence).toBe(persistence === 'none');
      } finally {
        client.disconnect();
        await redis.stop();
      }
    }
  });

  it('Redis out of memory: sends refused with STATE_FULL, readiness says OOM, the metric counts it', async () => {
    const redis = await startStandalone({ maxmemoryPolicy: 'noeviction' });
    const app = await startApp(stack.env({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix() }));
    const filler = new Redis(redis.url);
    await stack.simulator.reset();
    try {
      // Full: any used memory is past a 1-byte maxmemory, so every write is refused with OOM.
      await filler.config('SET', 'maxmemory', '1');
      expect(String(await filler.set('one-more', 'x').catch((error: unknown) => error))).toMatch(/OOM/);
      const sent = await publish(app, promotionInput({ endpoints: [number()], idempotencyKey: 'when-full' }));
      expect(sent.errors?.[0]?.extensions).toMatchObject({ code: 'STATE_FULL', delivery: 'NOT_SENT' });
      expect(await stack.simulator.requests()).toEqual([]);
      await vi.waitFor(async () => {
        const ready = await readiness(app);
        expect(ready.status).toBe(503);
        expect(ready.body.state.reason).toMatch(/OOM/);
      });
      const metrics = await (await fetch(app.metricsUrl)).text();
      expect(Number(/^smn_gateway_redis_oom_total (\d+)/m.exec(metrics)?.[1])).toBeGreaterThan(0);
      expect(metrics).toMatch(/smn_gateway_refused_sends_total\{reason="state_full"\} 1/);
    } finally {
      filler.disconnect();
      await app.close();
      await redis.stop();
    }
  });

  it(
    'a wrong password is named (WRONGPASS) at start, and the password never appears',
    { timeout: 30_000 },
    async () => {
      const redis = await startStandalone();
      await redis.cli('CONFIG', 'SET', 'requirepass', 'right-secret-7f3a');
      try {
        const url = redis.url.replace('redis://', 'redis://:wrong-secret-9c1d@');
        const failure = await startApp(stack.env({ REDIS_URL: url, REDIS_KEY_PREFIX: uniquePrefix() })).then(
          () => new Error('started'),
          (error: unknown) => error as Error,
        );
        expect(failure.message).toMatch(/WRONGPASS/);
        expect(failure.message).not.toMatch(/wrong-secret-9c1d|right-secret-7f3a/);
      } finally {
        const admin = new Redis(redis.url, { password: 'right-secret-7f3a' });
        await admin.config('SET', 'requirepass', '').finally(() => admin.disconnect());
        await redis.stop();
      }
    },
  );
});
