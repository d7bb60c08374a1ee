import type { Config } from '../config/index.js';
import { createCampaigns, type Campaigns } from '../campaigns/campaigns.js';
import type { BatchQueue } from '../campaigns/batch-queue.js';
import type { CampaignPublish } from '../campaigns/run-batch.js';
import { createCatalog, type Catalog } from '../catalog/catalog.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { createCatalogReadLimit } from '../policy/catalog-read-limit.js';
import { createRecipientQuota } from '../policy/recipient-quota.js';
import { withIdempotency } from '../send/idempotent-publish.js';
import {
  publishPromotionSms,
  type PromotionSmsCommand,
  type PromotionSmsReport,
  type PublishContext,
} from '../send/publish.js';
import { countedSends } from '../send/send-metrics.js';
import { gatedCatalog } from '../smn/outbound-gate.js';
import { createSharedState } from '../state/shared-state.js';
import type { SharedState } from '../state/state-port.js';
import { createOptOuts, type OptOuts } from '../suppression/opt-outs.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { Lifecycle } from './lifecycle.js';
import type { SmnPart } from './smn.js';
import { wireHistory } from './history.js';
import type { History } from '../history/history.js';
import type { SentArchive } from '../send/sent-messages.js';
import type { CampaignStore } from '../campaigns/campaign-store.js';
import { wireWebhooks, type WebhooksPart, type WebhookTiming } from './webhooks.js';

type Publish = (
  command: PromotionSmsCommand,
  context: PublishContext & { logger: Logger },
) => Promise<PromotionSmsReport>;

export interface SendPathPart {
  readonly state: SharedState;
  readonly optOuts: OptOuts;
  /** Tenants' webhooks: the use cases and the event sources. */
  readonly webhooks: WebhooksPart;
  /** The campaign store the use cases and workers change statuses through (webhooks hear of each). */
  readonly campaignStore: CampaignStore;
  /** The mutation's send: counted as direct, once per idempotency key. */
  readonly publishOnce: Publish;
  /** A campaign batch's send: counted as campaign; a rejected batch is tried again after a resume. */
  readonly publishBatch: CampaignPublish;
  readonly catalog: Catalog;
  readonly campaigns: Campaigns;
  readonly batchQueue: BatchQueue;
  /** The history's read and erasure use cases (HISTORY_DISABLED when off). */
  readonly history: History;
  /** Where sent messages are kept after the send log forgot them (the history), when it is on. */
  readonly archive: SentArchive | undefined;
}

/** A campaign batch's idempotency record keeps counts and failures, not 1000 sent messages. */
function compactReport(report: PromotionSmsReport): PromotionSmsReport {
  return { ...report, results: report.results.filter((outcome) => outcome.status === 'failed') };
}

/**
 * Part of the composition root (app.ts): the shared state (memory or Redis) and everything a send and
 * a campaign go through before SMN: quotas, screening, the send itself, idempotency, the catalog
 * checks, the campaign use cases and their batch queue. Stops: the shared state.
 */
export async function wireSendPath(
  config: Config,
  parts: {
    readonly logger: Logger;
    readonly metrics: Metrics;
    readonly smn: SmnPart;
    readonly clock: Clock | undefined;
    readonly webhookTiming?: WebhookTiming | undefined;
  },
  lifecycle: Lifecycle,
): Promise<SendPathPart> {
  const { logger, metrics, smn, clock } = parts;
  const historyPart = wireHistory(config, { logger, metrics, clock }, lifecycle);
  const state = await createSharedState(config, logger, clock, {
    onOutOfMemory: metrics.redisOutOfMemory,
    ...historyPart.stateHooks,
  });
  lifecycle.toDispose(() => state.close());
  const feeds = historyPart.attach(state);
  const webhooks = wireWebhooks(config, { state, logger, metrics, clock, timing: parts.webhookTiming }, lifecycle);
  const historyLedger = feeds.ledger;
  const quota = createRecipientQuota(
    { perMinute: config.limits.recipientsPerMinute, perDay: config.limits.recipientsPerDay },
    state.makeLimiter,
  );
  const suppression = {
    optOuts: state.optOuts,
    daily: {
      store: state.dailyCounters,
      limit: config.limits.perNumberDailyLimit,
      zone: config.limits.perNumberDayZone,
    },
  };
  const optOuts = createOptOuts(state.optOuts, {
    stateRefusal: state.refusal,
    ...(clock && { clock }),
    onChange: (action, source, count) => metrics.optOutChanges(action, source, count),
    ledger: (change) => {
      historyLedger?.(change);
      webhooks.onOptOutChange(change);
    },
  });
  const publish: Publish = (command, context) =>
    publishPromotionSms(
      {
        smn: smn.gate,
        sendLog: state.sendLog,
        quota,
        sendWindow: config.sendWindow,
        stateRefusal: state.refusal,
        suppression,
        // Only replies need them, and replies only arrive with SMN_EVENTS on (callback or poll).
        recentRecipients: config.events.mode === 'off' ? undefined : state.recentRecipients,
        onHeldBack: feeds.onHeldBack,
        logger: context.logger,
        ...(clock && { clock }),
      },
      command,
      context,
    );
  const idempotency = {
    store: state.idempotency,
    stateRefusal: state.refusal,
    ttlMs: config.state.idempotencyTtlMs,
    longestSendMs: smn.gate.maxCallMs,
    waitMs: config.state.idempotencyWaitMs,
  };
  const batchQueue = state.batchQueue({
    concurrency: config.campaigns.workerConcurrency,
    lockMs: config.campaigns.lockMs,
    closeWithinMs: config.operations.shutdownTimeoutMs,
  });
  const catalog = createCatalog({
    smn: gatedCatalog(smn.gate, smn.client),
    cacheMs: config.catalogCacheMs,
    logger,
    beforeSmnCall: createCatalogReadLimit(config.limits.catalogReadsPerMinute, state.makeLimiter),
  });
  const campaigns = createCampaigns({
    stateRefusal: state.refusal,
    store: webhooks.campaignStore,
    queue: batchQueue,
    updates: state.campaignUpdates,
    maxRecipients: config.campaigns.maxRecipients,
    maxOpenPerTenant: config.campaigns.maxOpenPerTenant,
    defaultMessagesPerSecond: config.campaigns.messagesPerSecond,
    clock: clock ?? systemClock,
    logger,
    cancelled: () => metrics.campaignFinished('CANCELLED'),
    catalog,
  });
  metrics.observeCampaigns({
    statusCounts: () => state.campaigns.statusCounts(),
    queueDepth: () => batchQueue.depth(),
  });
  return {
    state,
    optOuts,
    webhooks,
    campaignStore: webhooks.campaignStore,
    publishOnce: withIdempotency(countedSends(publish, 'direct', metrics), idempotency),
    publishBatch: withIdempotency(countedSends(publish, 'campaign', metrics), {
      ...idempotency,
      keepRejections: false,
      storedReport: compactReport,
    }),
    catalog,
    campaigns,
    batchQueue,
    history: feeds.use(state.sendLog),
    archive: historyPart.store,
  };
}
