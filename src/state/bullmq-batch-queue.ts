import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { RedisConfig } from '../config/redis.js';
import { createRedisClient, type RedisClient } from './redis-client.js';
import type { RedisCauseLog } from './redis-cause-log.js';
import { bullmqDepth, closeBullmq, createJobsInFlight } from './bullmq-lifecycle.js';
import type { BatchHandler, BatchJob, BatchQueue } from '../campaigns/batch-queue.js';

const QUEUE_NAME = 'campaign-batches';
/** A job whose worker vanished is run again this many times before BullMQ gives up on it. */
const MAX_STALLED = 20;

export interface BullmqQueueOptions {
  readonly redis: RedisConfig;
  /** REDIS_KEY_PREFIX: BullMQ's keys go under it, beside the rest of the gateway's. */
  readonly keyPrefix: string;
  readonly concurrency: number;
  /**
   * How long a worker's hold on a job lasts without renewal (renewed every half of it while it runs).
   * A job whose worker died is run again within one and a half times this long.
   */
  readonly lockMs: number;
  readonly logger: Logger;
  /** Redis failures, logged once per cause and then once a minute (a failover must not flood the log). */
  readonly causes: RedisCauseLog;
  /** How long a close waits for the jobs this process runs (SHUTDOWN_TIMEOUT_MS). */
  readonly closeWithinMs: number;
}

/** BullMQ wants its own connections, which retry commands for as long as it takes (blocking reads). */
function connection(options: BullmqQueueOptions): RedisClient {
  const client = createRedisClient(options.redis, 'blocking');
  client.on('error', (error: unknown) => options.causes.report(error, 'campaign-queue'));
  return client;
}

/**
 * BullMQ's key prefix. In a Cluster it is a hash tag (BullMQ's documented rule: every key of a queue
 * in one slot, as its scripts need); elsewhere it stays as it was, so queued batches survive an upgrade.
 */
export function bullPrefix(redis: RedisConfig, keyPrefix: string): string {
  const prefix = `${keyPrefix.replace(/:$/, '')}:bull`;
  return redis.topology.kind === 'cluster' ? `{${prefix}}` : prefix;
}

/**
 * How often BullMQ's stalled-job check runs. It moves a job back only once its lock has expired (the lock
 * lasts lockMs from its last renewal) and the job was marked by an earlier check. Checking every lockMs/2
 * takes a dead worker's job back at most 1.5 lockMs after it died; checking every lockMs, as before, took
 * up to 2 lockMs and more (measured takeover times in bench/RESULTS.md, "Why the code is this way").
 * The check is one small Lua
 * script per queue, run once per interval across all replicas (BullMQ's stalled-check key).
 */
export function stalledIntervalFor(lockMs: number): number {
  return Math.max(250, Math.floor(lockMs / 2));
}

const jobId = (job: BatchJob) => `${job.campaignId}-${job.generation}-${job.index}`;

/**
 * Campaign batches as BullMQ jobs on the shared Redis: every replica's workers take them, a worker's
 * job is locked while it runs, and one whose worker died (SIGKILL, crash) is run again by another.
 * Waiting (window, quota, pacing, backoff) moves the job to BullMQ's delayed set with its new data.
 */
export function createBullmqBatchQueue(options: BullmqQueueOptions): BatchQueue {
  const prefix = bullPrefix(options.redis, options.keyPrefix);
  const queueConnection = connection(options);
  const queue = new Queue<BatchJob>(QUEUE_NAME, { connection: queueConnection, prefix });
  queue.on('error', () => undefined);
  const inFlight = createJobsInFlight();
  let worker: Worker<BatchJob> | undefined;
  let workerConnection: RedisClient | undefined;
  const log = options.logger.child({ component: 'campaign-queue' });

  return {
    kind: 'bullmq',
    async add(jobs, at) {
      const delay = Math.max(0, at - Date.now());
      await queue.addBulk(
        jobs.map((job) => ({
          name: 'batch',
          data: job,
          opts: { jobId: jobId(job), delay, removeOnComplete: true, removeOnFail: 1_000 },
        })),
      );
    },
    work(handler: BatchHandler) {
      workerConnection = connection(options);
      worker = new Worker<BatchJob>(
        QUEUE_NAME,
        (job: Job<BatchJob>, token?: string) =>
          inFlight.run(async () => {
            const verdict = await handler(job.data, { afterStall: job.stalledCounter > 0 });
            if (verdict.type === 'done') return;
            await job.updateData(verdict.job);
            await job.moveToDelayed(verdict.at, token);
            throw new DelayedError();
          }),
        {
          connection: workerConnection,
          prefix,
          concurrency: options.concurrency,
          lockDuration: options.lockMs,
          stalledInterval: stalledIntervalFor(options.lockMs),
          maxStalledCount: MAX_STALLED,
        },
      );
      worker.on('error', (error) => options.causes.report(error, 'campaign-worker'));
      worker.on('failed', (job, error) =>
        log.error(
          { err: error, campaignId: job?.data.campaignId, batch: job?.data.index },
          'campaign batch job failed',
        ),
      );
    },
    depth: () => bullmqDepth(queue),
    close: () =>
      closeBullmq(
        { queue, queueConnection, worker, workerConnection },
        { graceMs: options.closeWithinMs, inFlight, logger: log },
      ),
  };
}
