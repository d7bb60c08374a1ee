import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Config } from '../config/types.js';
import type { IdempotencyStore } from '../sms/idempotency-store.js';
import { createMemoryIdempotencyStore } from './memory-idempotency-store.js';
import { createMemorySendLog } from './memory-send-log.js';
import type { SendLog } from '../sms/send-log.js';
import { createRedis, waitUntilReady } from './redis.js';
import { createRedisIdempotencyStore } from './redis-idempotency-store.js';
import { createRedisSendLog } from './redis-send-log.js';
import { createRedisDailyCounterStore, createRedisOptOutStore } from './redis-suppression-stores.js';
import { createMemoryDailyCounterStore } from './memory-daily-counter-store.js';
import { createMemoryOptOutStore } from './memory-opt-out-store.js';
import type { DailyCounterStore } from '../suppression/daily-counter-store.js';
import type { OptOutStore } from '../suppression/opt-out-store.js';
import type { DeliveryFeed } from '../deliveries/feed.js';
import type { RecentRecipientsStore } from '../deliveries/recent-recipients.js';
import { createMemoryDeliveryFeed, createMemorySeenEnvelopes } from './memory-deliveries.js';
import { createMemoryRecentRecipients } from './memory-recent-recipients.js';
import {
  createRedisDeliveryFeed,
  createRedisPollCoordination,
  createRedisRecentRecipients,
  createRedisSeenEnvelopes,
} from './redis-deliveries.js';
import type { PollCoordination } from '../deliveries/report-poller.js';
import type { CampaignStore } from '../campaigns/campaign-store.js';
import type { BatchQueue } from '../campaigns/batch-queue.js';
import { createMemoryFeed, type Feed } from '../util/feed.js';
import { createMemoryCampaignStore } from './memory-campaign-store.js';
import { createRedisCampaignStore } from './redis-campaign-store.js';
import { createMemoryBatchQueue } from './memory-batch-queue.js';
import { createBullmqBatchQueue } from './bullmq-batch-queue.js';
import { createRedisFeed } from './redis-feed.js';

/** What replicas must share: in memory for one replica, in Redis (REDIS_URL) for several. */
export interface SharedState {
  readonly mode: 'memory' | 'redis';
  readonly sendLog: SendLog;
  readonly idempotency: IdempotencyStore;
  readonly optOuts: OptOutStore;
  readonly dailyCounters: DailyCounterStore;
  readonly recentRecipients: RecentRecipientsStore;
  readonly deliveryFeed: DeliveryFeed;
  /** Poll mode: one replica at a time reads the report API, from where the last read ended. */
  pollCoordination(intervalMs: number): PollCoordination;
  /** SMN event envelope ids already handled (SMN may deliver one twice). */
  readonly seenEnvelopes: { seen(envelopeId: string): Promise<boolean>; mark(envelopeId: string): Promise<void> };
  readonly campaigns: CampaignStore;
  /** Campaign ids, announced after each batch and status change. */
  readonly campaignUpdates: Feed<string>;
  /** Where campaign batches wait: BullMQ on the shared Redis, or in process. */
  batchQueue(options: { concurrency: number; lockMs: number }): BatchQueue;
  /** Builds a quota counter (rate-limiter-flexible) in the same place. */
  makeLimiter(points: number, durationSeconds: number, name: string): RateLimiterAbstract;
  /** False while Redis is unreachable: sends are refused and readiness fails. */
  available(): boolean;
  close(): Promise<void>;
}

const MEMORY_IDEMPOTENCY_ENTRIES = 100_000;

export async function createSharedState(config: Config, logger: Logger): Promise<SharedState> {
  const { state, sendLog } = config;
  if (!state.redisUrl) {
    const memorySendLog = createMemorySendLog({ maxEntries: sendLog.maxEntries, ttlMs: sendLog.ttlSeconds * 1000 });
    logger.warn(
      { component: 'opt-outs' },
      'No REDIS_URL: opt-outs and per-number daily counts are kept in memory and LOST ON RESTART. Set REDIS_URL to keep them.',
    );
    logger.warn(
      { component: 'campaigns' },
      'No REDIS_URL: campaigns run in this process only and DO NOT SURVIVE A RESTART. Set REDIS_URL to run them durably across replicas.',
    );
    const campaignUpdates = createMemoryFeed<string>((id) => id);
    return {
      mode: 'memory',
      campaigns: createMemoryCampaignStore({ retentionMs: config.campaigns.retentionMs }),
      campaignUpdates,
      batchQueue: ({ concurrency }) => createMemoryBatchQueue({ concurrency, logger }),
      sendLog: memorySendLog,
      optOuts: createMemoryOptOutStore(),
      dailyCounters: createMemoryDailyCounterStore(),
      recentRecipients: createMemoryRecentRecipients(),
      deliveryFeed: createMemoryDeliveryFeed(),
      seenEnvelopes: createMemorySeenEnvelopes(),
      pollCoordination: () => {
        let lastRead: number | undefined;
        return {
          lead: () => Promise.resolve(true),
          lastRead: () => Promise.resolve(lastRead),
          setLastRead: (at) => {
            lastRead = at;
            return Promise.resolve();
          },
        };
      },
      idempotency: createMemoryIdempotencyStore({
        maxEntries: MEMORY_IDEMPOTENCY_ENTRIES,
        maxBytes: state.idempotencyMemoryMaxBytes,
        ttlMs: state.idempotencyTtlMs,
        onEvict: () =>
          logger.warn(
            { component: 'idempotency' },
            'an unexpired idempotency record was forgotten to stay within IDEMPOTENCY_MEMORY_MAX_BYTES; a retry ' +
              'with its key would send again: raise the budget or set REDIS_URL',
          ),
      }),
      makeLimiter: (points, duration, name) => new RateLimiterMemory({ points, duration, keyPrefix: name }),
      available: () => true,
      close() {
        memorySendLog.close();
        return Promise.resolve();
      },
    };
  }
  const redis: Redis = createRedis(state.redisUrl, logger);
  try {
    await waitUntilReady(redis, 10_000);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  const prefix = state.keyPrefix;
  const deliveryFeed = createRedisDeliveryFeed(redis, prefix, logger);
  const campaignUpdates = createRedisFeed<string>(
    redis,
    { channel: `${prefix}v1:campaign-updates`, keyOf: (id) => id, encode: (id) => id, decode: (raw) => raw },
    logger,
  );
  const redisUrl = state.redisUrl;
  return {
    mode: 'redis',
    campaigns: createRedisCampaignStore(redis, prefix, config.campaigns.retentionMs),
    campaignUpdates,
    batchQueue: ({ concurrency, lockMs }) =>
      createBullmqBatchQueue({ url: redisUrl, keyPrefix: prefix, concurrency, lockMs, logger }),
    sendLog: createRedisSendLog(redis, prefix, sendLog.ttlSeconds * 1000),
    idempotency: createRedisIdempotencyStore(redis, prefix),
    optOuts: createRedisOptOutStore(redis, prefix),
    dailyCounters: createRedisDailyCounterStore(redis, prefix),
    recentRecipients: createRedisRecentRecipients(redis, prefix),
    deliveryFeed,
    seenEnvelopes: createRedisSeenEnvelopes(redis, prefix),
    pollCoordination: (intervalMs) => createRedisPollCoordination(redis, prefix, intervalMs),
    makeLimiter: (points, duration, name) =>
      new RateLimiterRedis({
        storeClient: redis,
        points,
        duration,
        keyPrefix: `${prefix}v1:${name}`,
        rejectIfRedisNotReady: true,
      }),
    available: () => redis.status === 'ready',
    async close() {
      // QUIT waits for Redis to answer: while it is out of reach that would hold shutdown forever.
      await deliveryFeed.close();
      await campaignUpdates.close();
      if (redis.status !== 'ready') return redis.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
