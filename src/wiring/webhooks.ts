import type { Config } from '../config/index.js';
import type { CampaignStore } from '../campaigns/campaign-store.js';
import type { MatchedReply } from '../deliveries/replies.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { SentMessage } from '../send/send-log.js';
import type { SharedState } from '../state/state-port.js';
import type { OptOutLedgerChange } from '../suppression/opt-outs.js';
import { systemClock, type Clock } from '../util/clock.js';
import { DEFAULT_RETRY_TIMING, deliverOnce, type RetryTiming } from '../webhooks/deliver.js';
import { createWebhookSender, type SenderOptions } from '../webhooks/http-sender.js';
import { deliveryChanged, optOutChanged, replyReceived, statusReportingCampaignStore } from '../webhooks/sources.js';
import { backgroundEmit, createWebhooks, type Webhooks } from '../webhooks/webhooks.js';
import type { Lifecycle } from './lifecycle.js';

/** Webhook timing the tests shorten: the retry backoff and window, the wait for the job ahead, the sender. */
export interface WebhookTiming {
  readonly retry?: Partial<RetryTiming>;
  readonly orderWaitMs?: number;
  readonly sender?: Pick<SenderOptions, 'timeoutMs' | 'resolve'>;
}

export interface WebhooksPart {
  /** The management use cases (GraphQL). */
  readonly webhooks: Webhooks;
  /** Event sources, as each use case that keeps a change is told of it. */
  readonly onFinalDelivery: (message: SentMessage) => void;
  readonly onReply: (reply: MatchedReply) => void;
  readonly onOptOutChange: (change: OptOutLedgerChange) => void;
  /** The campaign store, telling of every status it changes. */
  readonly campaignStore: CampaignStore;
}

/**
 * Part of the composition root (app.ts): tenants' webhooks. Events from the delivery reports, replies,
 * the opt-out list and campaign status changes are queued per endpoint (BullMQ with Redis, in process
 * otherwise) and delivered signed by this replica's workers (WEBHOOK_WORKERS). Stops: the workers
 * (before the shared state they read).
 */
export function wireWebhooks(
  config: Config,
  parts: {
    readonly state: SharedState;
    readonly logger: Logger;
    readonly metrics: Metrics;
    readonly clock: Clock | undefined;
    readonly timing: WebhookTiming | undefined;
  },
  lifecycle: Lifecycle,
): WebhooksPart {
  const { state, metrics } = parts;
  const clock = parts.clock ?? systemClock;
  const logger = parts.logger.child({ component: 'webhooks' });
  const queue = state.webhookQueue({
    concurrency: config.webhooks.concurrency,
    orderWaitMs: parts.timing?.orderWaitMs ?? 1_000,
    closeWithinMs: config.operations.shutdownTimeoutMs,
  });
  lifecycle.toDispose(() => queue.close());
  metrics.observeWebhookQueue(() => queue.depth());
  const webhooks = createWebhooks({
    store: state.webhooks,
    queue,
    urls: { httpsOnly: config.webhooks.httpsOnly, allowPrivate: config.webhooks.allowPrivate },
    maxEndpoints: config.webhooks.maxEndpointsPerTenant,
    clock,
    logger,
  });
  if (config.webhooks.workers) {
    const send = createWebhookSender({ allowPrivate: config.webhooks.allowPrivate, ...parts.timing?.sender });
    const deps = {
      store: state.webhooks,
      send,
      clock,
      timing: { ...DEFAULT_RETRY_TIMING, ...parts.timing?.retry },
      logger,
      observe: metrics.webhookAttempt,
      gaveUp: metrics.webhookGaveUp,
    };
    queue.work((job) => deliverOnce(deps, job));
  }
  const emit = backgroundEmit(webhooks, logger);
  return {
    webhooks,
    onFinalDelivery: deliveryChanged(emit, clock),
    onReply: replyReceived(emit, clock),
    onOptOutChange: optOutChanged(emit),
    campaignStore: statusReportingCampaignStore(state.campaigns, emit, clock),
  };
}
