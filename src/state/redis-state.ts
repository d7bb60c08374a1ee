import type { Logger } from 'pino';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import type { Redis } from 'ioredis';
import type { Config } from '../config/types.js';
import { createRedis, waitUntilReady } from './redis.js';
import { createRedisIdempotencyStore } from './redis-idempotency-store.js';
import { createRedisSendLog } from './redis-send-log.js';
import { createRedisDailyCounterStore, createRedisOptOutStore } from './redis-suppression-stores.js';
import { CANONICAL_FORM, canonicalNumber } from '../suppression/canonical-number.js';
import { logRekeyed } from '../suppression/opt-outs.js';
import {
  createRedisDeliveryFeed,
  createRedisPollCoordination,
  createRedisRecentRecipients,
  createRedisSeenEnvelopes,
} from './redis-deliveries.js';
import { createRedisCampaignStore } from './redis-campaign-store.js';
import { createBullmqBatchQueue } from './bullmq-batch-queue.js';
import { createRedisFeed } from './redis-feed.js';
import type { SharedState } from './state-port.js';

/** Everything replicas share, in Redis (REDIS_URL): loaded only when configured. */
export async function createRedisState(config: Config, logger: Logger): Promise<SharedState> {
  const { state, sendLog } = config;
  if (!state.redisUrl) throw new Error('createRedisState needs REDIS_URL');
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
    optOuts: createRedisOptOutStore(redis, prefix, { of: canonicalNumber, form: CANONICAL_FORM }, (counts) =>
      logRekeyed(logger, counts),
    ),
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
