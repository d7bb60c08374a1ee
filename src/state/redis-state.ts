import type { Logger } from 'pino';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { Config } from '../config/types.js';
import type { RedisConfig } from '../config/redis.js';
import { createRedisClient, isCluster } from './redis-client.js';
import { createRedisCauseLog } from './redis-cause-log.js';
import { checkRedisPolicy, waitUntilReady } from './redis-startup.js';
import { connectedReplicas, createDurableWrites } from './redis-durability.js';
import { createStateWatch } from './redis-watch.js';
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
import { closeRedisClient } from './redis-close.js';
import { createBullmqWebhookQueue } from './bullmq-webhook-queue.js';
import { createRedisWebhookStore } from './redis-webhook-store.js';
import { createRedisFeed } from './redis-feed.js';
import { createRedisHistoryOutbox } from './redis-history-outbox.js';
import { recordingSendLog } from '../history/recording-send-log.js';
import type { HistoryStateOptions, SharedState } from './state-port.js';

export interface RedisStateHooks {
  /** Each OOM answer Redis gave (metric). */
  readonly onOutOfMemory?: () => void;
  /** HISTORY_* set: the durable outbox (a Redis Stream) behind the send log. */
  readonly history?: HistoryStateOptions;
  /** An append to the outbox that failed (counted; the send or report went on). Logged in any case. */
  readonly onHistoryAppendError?: (error: unknown) => void;
  /** Runs before sends resume after a loss: the opt-out list rebuilt from the history's ledger. */
  readonly beforeResume?: () => Promise<void>;
}

/** Connects, reporting every failure's cause (rate-limited), and refuses a Redis that may evict keys. */
async function connect(redisConfig: RedisConfig, config: Config, logger: Logger) {
  const causes = createRedisCauseLog(logger);
  const redis = createRedisClient(redisConfig);
  redis.on('error', (error: unknown) => causes.report(error, 'commands'));
  redis.on('node error', (error: unknown) => causes.report(error, 'commands'));
  redis.on('ready', () => causes.recovered('commands'));
  try {
    await waitUntilReady(redis, 10_000);
    await checkRedisPolicy(redis, config.production, logger);
  } catch (error) {
    redis.disconnect();
    throw error;
  }
  return { redis, causes };
}

/**
 * Everything replicas share, in Redis: standalone, Sentinel or Cluster (config/redis.ts). Loaded only
 * when configured.
 */
export async function createRedisState(
  config: Config,
  logger: Logger,
  hooks: RedisStateHooks = {},
): Promise<SharedState> {
  const { state, sendLog } = config;
  const redisConfig = state.redis;
  if (!redisConfig) throw new Error('createRedisState needs Redis settings');
  const { redis, causes } = await connect(redisConfig, config, logger);
  const prefix = state.keyPrefix;
  const topology = redisConfig.topology.kind;

  // Claims and opt-out changes wait for replicas on a connection of their own.
  const durableClient = redis.duplicate();
  durableClient.on('error', (error: unknown) => causes.report(error, 'durable-writes'));
  const requiredAcks = redisConfig.minReplicaAcks ?? ((await connectedReplicas(redis)) > 0 ? 1 : 0);
  const durable = createDurableWrites(durableClient, requiredAcks, redisConfig.waitMs);

  const watch = createStateWatch({
    redis,
    prefix,
    topology,
    intervalMs: redisConfig.checkIntervalMs,
    causes,
    logger,
    ...(hooks.onOutOfMemory && { onOutOfMemory: hooks.onOutOfMemory }),
    ...(hooks.beforeResume && { beforeResume: hooks.beforeResume }),
  });
  try {
    await watch.start();
  } catch (error) {
    watch.close();
    redis.disconnect();
    durableClient.disconnect();
    throw error;
  }
  logger.info({ component: 'redis', topology, requiredAcks, cluster: isCluster(redis) }, 'shared state in Redis');

  const makeLimiter = (points: number, duration: number, name: string) =>
    new RateLimiterRedis({
      storeClient: redis,
      points,
      duration,
      keyPrefix: `${prefix}v1:${name}`,
      rejectIfRedisNotReady: true,
    });
  const historyOutbox =
    hooks.history &&
    createRedisHistoryOutbox(redis, {
      keyPrefix: prefix,
      maxEntries: hooks.history.maxEntries,
      claimIdleMs: hooks.history.claimIdleMs,
      consumer: hooks.history.consumer,
      logger,
      onConnectionError: (error) => causes.report(error, 'history-outbox'),
    });
  // Not a Cluster: the send log's record script appends the send's history in the same EVAL. A
  // Cluster: appended after the record (a script may touch one hash slot only).
  const redisSendLog = createRedisSendLog(redis, prefix, sendLog.ttlSeconds * 1000, {
    ...(historyOutbox && { outbox: historyOutbox }),
  });
  const sharedSendLog = historyOutbox
    ? recordingSendLog(redisSendLog, historyOutbox, {
        sendsInScript: redisSendLog.recordsHistory,
        onAppendError: (error) => {
          causes.report(error, 'history-outbox');
          hooks.onHistoryAppendError?.(error);
        },
      })
    : redisSendLog;
  const deliveryFeed = createRedisDeliveryFeed(redis, prefix, logger);
  const campaignUpdates = createRedisFeed<string>(
    redis,
    { channel: `${prefix}v1:campaign-updates`, keyOf: (id) => id, encode: (id) => id, decode: (raw) => raw },
    logger,
  );
  return {
    mode: 'redis',
    campaigns: createRedisCampaignStore(redis, prefix, config.campaigns.retentionMs),
    campaignUpdates,
    batchQueue: ({ concurrency, lockMs, closeWithinMs }) =>
      createBullmqBatchQueue({
        redis: redisConfig,
        keyPrefix: prefix,
        concurrency,
        lockMs,
        closeWithinMs,
        logger,
        causes,
      }),
    webhooks: createRedisWebhookStore(redis, prefix),
    webhookQueue: ({ concurrency, orderWaitMs, closeWithinMs }) =>
      createBullmqWebhookQueue({
        redis: redisConfig,
        client: redis,
        keyPrefix: prefix,
        concurrency,
        orderWaitMs,
        closeWithinMs,
        logger,
        causes,
      }),
    sendLog: sharedSendLog,
    historyOutbox,
    idempotency: createRedisIdempotencyStore(redis, prefix, durable),
    optOuts: createRedisOptOutStore(
      redis,
      prefix,
      { of: canonicalNumber, form: CANONICAL_FORM },
      (counts) => logRekeyed(logger, counts),
      durable,
    ),
    dailyCounters: createRedisDailyCounterStore(redis, prefix),
    recentRecipients: createRedisRecentRecipients(redis, prefix),
    deliveryFeed,
    seenEnvelopes: createRedisSeenEnvelopes(redis, prefix),
    pollCoordination: (intervalMs) => createRedisPollCoordination(redis, prefix, intervalMs),
    makeLimiter,
    callRate: (callsPerSecond) => {
      // One key (one hash slot in a Cluster), a fixed window of one second.
      const limiter = makeLimiter(callsPerSecond, 1, 'smn-calls');
      return {
        take: () =>
          limiter.consume('all').then(
            () => 0,
            (refusal: unknown) => {
              if (refusal instanceof RateLimiterRes) return Math.max(1, refusal.msBeforeNext);
              throw refusal;
            },
          ),
      };
    },
    refusal: watch.refusal,
    readiness: watch.readiness,
    async close() {
      watch.close();
      await deliveryFeed.close();
      await campaignUpdates.close();
      await historyOutbox?.close();
      await Promise.all([closeRedisClient(durableClient), closeRedisClient(redis)]);
    },
  };
}
