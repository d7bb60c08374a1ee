import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Reader } from '../../src/config/reader.js';
import { readRedis, type RedisConfig } from '../../src/config/redis.js';
import type { BatchJob } from '../../src/campaigns/batch-queue.js';
import { bullPrefix, createBullmqBatchQueue } from '../../src/state/bullmq-batch-queue.js';
import { createBullmqWebhookQueue } from '../../src/state/bullmq-webhook-queue.js';
import { createRedisClient } from '../../src/state/redis-client.js';
import { createRedisCauseLog } from '../../src/state/redis-cause-log.js';
import { closeRedisClient } from '../../src/state/redis-close.js';
import { waitUntilReady } from '../../src/state/redis-startup.js';
import { redisForTests, uniquePrefix } from '../helpers/redis.js';
import { startStandalone, type StandaloneRedis } from '../helpers/redis-topologies.js';

/**
 * CI once waited over 30 s for an app to stop after a Cluster primary was SIGKILLed: BullMQ's close
 * waits on Redis without a bound (bullmq#2430, #4656). A queue's close now ends within its grace
 * whatever Redis does, yet still waits for the jobs this process is running.
 */

const redisAvailable = await redisForTests();
const logger = pino({ level: 'silent' });
/** A client of the test's own Redis, quiet about the errors a paused or stopped server gives. */
const clientOf = (config: RedisConfig) => createRedisClient(config).on('error', () => undefined);
const job = (index: number): BatchJob => ({ campaignId: randomUUID(), index, generation: 1, attempt: 0 });

describe.runIf(redisAvailable)('closing BullMQ queues', () => {
  let redis: StandaloneRedis;
  let config: RedisConfig;
  beforeAll(async () => {
    redis = await startStandalone();
    config = readRedis(new Reader({ REDIS_URL: redis.url }))!;
  }, 30_000);
  afterAll(async () => {
    redis.resume();
    await redis.stop();
  });

  const batchQueue = (closeWithinMs: number, keyPrefix = uniquePrefix()) =>
    createBullmqBatchQueue({
      redis: config,
      keyPrefix,
      concurrency: 2,
      lockMs: 30_000,
      closeWithinMs,
      logger,
      causes: createRedisCauseLog(logger),
    });

  it('waits for a batch this process is running, which then completes (nothing left active)', async () => {
    const keyPrefix = uniquePrefix();
    const queue = batchQueue(60_000, keyPrefix);
    const events: string[] = [];
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    queue.work(async () => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 300));
      events.push('batch done');
      return { type: 'done' };
    });
    await queue.add([job(0)], Date.now());
    await running;
    await queue.close();
    events.push('closed');
    expect(events).toEqual(['batch done', 'closed']);

    const look = new Queue('campaign-batches', {
      connection: createRedisClient(config, 'blocking'),
      prefix: bullPrefix(config, keyPrefix),
    });
    expect(await look.getJobCounts('active', 'wait', 'delayed')).toEqual({ active: 0, wait: 0, delayed: 0 });
    await look.close();
  });

  it('ends soon after its jobs when Redis stops answering, not at the end of its grace', async () => {
    const batches = batchQueue(600_000);
    batches.work(async () => ({ type: 'done' }));
    const webhooks = createBullmqWebhookQueue({
      redis: config,
      client: clientOf(config),
      keyPrefix: uniquePrefix(),
      concurrency: 2,
      orderWaitMs: 1_000,
      closeWithinMs: 600_000,
      logger,
      causes: createRedisCauseLog(logger),
    });
    webhooks.work(async () => ({ type: 'done' }));
    await batches.depth();
    await webhooks.depth();
    redis.pause();
    try {
      // Bounded by the test's timeout (15 s), far below the 600 s grace: idle, then a 2 s settle.
      await Promise.all([batches.close(), webhooks.close()]);
    } finally {
      redis.resume();
    }
  }, 15_000);

  it('gives a batch in flight its grace, then drops the connections when Redis does not answer', async () => {
    const queue = batchQueue(1_000);
    let started!: () => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    queue.work(async () => {
      started();
      await held;
      return { type: 'done' };
    });
    await queue.add([job(0)], Date.now());
    await running;
    redis.pause();
    try {
      await queue.close();
    } finally {
      release();
      redis.resume();
    }
  }, 15_000);

  it('closes a client whose Redis stopped answering instead of waiting for QUIT', async () => {
    const client = clientOf(config);
    await waitUntilReady(client, 5_000);
    redis.pause();
    try {
      await closeRedisClient(client, 200);
      // ioredis ends the socket, and destroys it when the server does not answer (its disconnectTimeout).
      await vi.waitFor(() => expect(client.status).toBe('end'), { timeout: 5_000 });
    } finally {
      redis.resume();
    }
  }, 10_000);
});
