import type { Logger } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { Config } from '../config/types.js';
import { createMemoryIdempotencyStore } from './memory-idempotency-store.js';
import { createMemorySendLog } from './memory-send-log.js';
import { createMemoryDailyCounterStore } from './memory-daily-counter-store.js';
import { createMemoryOptOutStore } from './memory-opt-out-store.js';
import { createMemoryDeliveryFeed, createMemorySeenEnvelopes } from './memory-deliveries.js';
import { createMemoryRecentRecipients } from './memory-recent-recipients.js';
import { createMemoryFeed } from '../util/feed.js';
import { createMemoryCampaignStore } from './memory-campaign-store.js';
import { createMemoryBatchQueue } from './memory-batch-queue.js';
import { createMemoryWebhookQueue } from './memory-webhook-queue.js';
import { createMemoryWebhookStore } from './memory-webhook-store.js';
import { createMemoryHistoryOutbox, MEMORY_OUTBOX_WARNING } from './memory-history-outbox.js';
import { recordingSendLog } from '../history/recording-send-log.js';
import type { HistoryStateOptions, SharedState } from './state-port.js';
import type { Clock } from '../util/clock.js';

const MEMORY_IDEMPOTENCY_ENTRIES = 100_000;

/**
 * Everything a single replica keeps in its own memory (no REDIS_URL). `clock` (tests) is the one the use
 * cases stamp times with: what expires against those times reads it too.
 */
export function createMemoryState(
  config: Config,
  logger: Logger,
  clock?: Clock,
  options: {
    readonly history?: HistoryStateOptions;
    /** An append to the outbox that failed (counted; the send or report went on). Logged in any case. */
    readonly onHistoryAppendError?: (error: unknown) => void;
  } = {},
): SharedState {
  const { state, sendLog } = config;
  const memorySendLog = createMemorySendLog({
    maxEntries: sendLog.maxEntries,
    ttlMs: sendLog.ttlSeconds * 1000,
    ...(clock && { clock }),
  });
  // With history: an in-process outbox (lost on crash, said at start) behind the send log.
  const historyOutbox = options.history && createMemoryHistoryOutbox({ maxEntries: options.history.maxEntries });
  if (historyOutbox) logger.warn({ component: 'history' }, MEMORY_OUTBOX_WARNING);
  const historyLog = logger.child({ component: 'history' });
  const sharedSendLog = historyOutbox
    ? recordingSendLog(memorySendLog, historyOutbox, {
        sendsInScript: false,
        onAppendError: (error) => {
          historyLog.error(
            { err: error instanceof Error ? error.message : String(error) },
            'history event not appended',
          );
          options.onHistoryAppendError?.(error);
        },
      })
    : memorySendLog;
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
    campaigns: createMemoryCampaignStore({
      retentionMs: config.campaigns.retentionMs,
      maxRecipients: config.campaigns.memoryMaxRecipients,
      ...(clock && { clock }),
    }),
    campaignUpdates,
    batchQueue: ({ concurrency }) => createMemoryBatchQueue({ concurrency, logger }),
    webhooks: createMemoryWebhookStore(),
    webhookQueue: ({ concurrency }) => createMemoryWebhookQueue({ concurrency, logger }),
    sendLog: sharedSendLog,
    historyOutbox,
    optOuts: createMemoryOptOutStore(),
    dailyCounters: createMemoryDailyCounterStore(),
    recentRecipients: createMemoryRecentRecipients(clock),
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
    refusal: () => undefined,
    readiness: () => Promise.resolve({ ready: true, topology: 'memory', nodes: [] }),
    close() {
      memorySendLog.close();
      historyOutbox?.close();
      return Promise.resolve();
    },
  };
}
