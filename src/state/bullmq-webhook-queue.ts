import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { RedisConfig } from '../config/redis.js';
import type { WebhookHandler, WebhookJob, WebhookQueue } from '../webhooks/queue.js';
import { bullPrefix } from './bullmq-batch-queue.js';
import { createRedisClient, type RedisClient } from './redis-client.js';
import type { RedisCauseLog } from './redis-cause-log.js';
import { bullmqDepth, closeBullmq, createJobsInFlight } from './bullmq-lifecycle.js';

const QUEUE_NAME = 'webhook-deliveries';
/** Longest wait between looks at the job ahead in its order key. */
const MAX_ORDER_WAIT_MS = 60_000;
/** How long an order key remembers its last job (past the 24 h retry window). */
const ORDER_KEY_TTL_SECONDS = 26 * 3600;
const PENDING = new Set(['waiting', 'delayed', 'active', 'prioritized', 'waiting-children']);

/** The job as stored: the job ahead of it in its order key, and how often it has waited for that one. */
interface QueuedJob extends WebhookJob {
  readonly after?: string | undefined;
  readonly orderWaits?: number;
}

export interface BullmqWebhookQueueOptions {
  readonly redis: RedisConfig;
  /** The commands connection: remembers each order key's last job. */
  readonly client: RedisClient;
  readonly keyPrefix: string;
  readonly concurrency: number;
  /** The first wait for the job ahead in the order key (doubling up to a minute). */
  readonly orderWaitMs: number;
  readonly logger: Logger;
  readonly causes: RedisCauseLog;
  /** How long a close waits for the jobs this process runs (SHUTDOWN_TIMEOUT_MS). */
  readonly closeWithinMs: number;
}

/**
 * Webhook deliveries as BullMQ jobs on the shared Redis: durable across restarts, taken by any
 * replica's workers, retried by moving the job to the delayed set. Order per endpoint and subject: each
 * job is queued knowing the job queued before it with the same key (one `SET … GET`), and runs only once
 * that one has left the queue (delivered or given up).
 */
export function createBullmqWebhookQueue(options: BullmqWebhookQueueOptions): WebhookQueue {
  const prefix = bullPrefix(options.redis, options.keyPrefix);
  const connect = (purpose: string) => {
    const client = createRedisClient(options.redis, 'blocking');
    client.on('error', (error: unknown) => options.causes.report(error, purpose));
    return client;
  };
  const queueConnection = connect('webhook-queue');
  const queue = new Queue<QueuedJob>(QUEUE_NAME, { connection: queueConnection, prefix });
  queue.on('error', () => undefined);
  const inFlight = createJobsInFlight();
  let worker: Worker<QueuedJob> | undefined;
  let workerConnection: RedisClient | undefined;
  const log = options.logger.child({ component: 'webhook-queue' });
  const lastKey = (orderKey: string) => `${options.keyPrefix}v1:webhooks:order:${orderKey}`;

  const later = async (job: Job<QueuedJob>, token: string | undefined, data: QueuedJob, at: number) => {
    await job.updateData(data);
    await job.moveToDelayed(at, token);
    throw new DelayedError();
  };

  return {
    kind: 'bullmq',
    async add(job) {
      const after = await options.client.set(lastKey(job.orderKey), job.deliveryId, 'EX', ORDER_KEY_TTL_SECONDS, 'GET');
      await queue.add(
        'delivery',
        { ...job, ...(after !== null && { after }) },
        {
          jobId: job.deliveryId,
          removeOnComplete: true,
          removeOnFail: 1_000,
        },
      );
    },
    work(handler: WebhookHandler) {
      workerConnection = connect('webhook-worker');
      worker = new Worker<QueuedJob>(
        QUEUE_NAME,
        (job: Job<QueuedJob>, token?: string) =>
          inFlight.run(async () => {
            const { after, orderWaits = 0, ...data } = job.data;
            if (after !== undefined && PENDING.has(await queue.getJobState(after))) {
              const wait = Math.min(MAX_ORDER_WAIT_MS, options.orderWaitMs * 2 ** Math.min(orderWaits, 20));
              return later(job, token, { ...job.data, orderWaits: orderWaits + 1 }, Date.now() + wait);
            }
            const verdict = await handler(data);
            if (verdict.type === 'done') return;
            return later(job, token, verdict.job, verdict.at);
          }),
        { connection: workerConnection, prefix, concurrency: options.concurrency },
      );
      worker.on('error', (error) => options.causes.report(error, 'webhook-worker'));
      worker.on('failed', (job, error) =>
        log.error({ err: error, endpointId: job?.data.endpointId, deliveryId: job?.id }, 'webhook job failed'),
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
