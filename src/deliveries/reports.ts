import type { Logger } from 'pino';
import type { DeliveryState, SendLog, SentMessage } from '../send/send-log.js';
import type { CampaignStore } from '../campaigns/campaign-store.js';
import type { Feed } from '../util/feed.js';
import type { DeliveryFeed } from './feed.js';
import { deliveryStatusOf } from './status.js';
import { systemClock, type Clock } from '../util/clock.js';

/** One delivery report, from a callback or from the report API: the fields we use. */
export interface DeliveryReport {
  /** The SMS message id, as in Sms_commit_result. */
  readonly messageId: string;
  /** SMN's `status`: 1 success, 0 failure. */
  readonly success: boolean;
  /** `status_desc`, the carrier's code. */
  readonly carrierCode?: string | undefined;
  readonly deliveredAt?: Date | undefined;
}

export type ReportOutcome = 'updated' | 'unchanged' | 'unknown';

export interface ReportDependencies {
  readonly sendLog: SendLog;
  readonly feed: DeliveryFeed;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Campaign counters: a campaign message's final status counts as delivered or undelivered. */
  readonly campaigns?: Pick<CampaignStore, 'countDelivery'> | undefined;
  /** Campaign ids, announced once a report was counted: promotionCampaignUpdates streams the new counts. */
  readonly campaignUpdates?: Pick<Feed<string>, 'publish'> | undefined;
  /** Told of each message a report gave its final status (webhooks); must not throw. */
  readonly onFinal?: ((message: SentMessage) => void) | undefined;
}

const UNDELIVERED: ReadonlySet<string> = new Set(['FAILED', 'EXPIRED', 'REJECTED']);

async function countForCampaign(deps: ReportDependencies, message: SentMessage): Promise<void> {
  const status = message.delivery?.status;
  if (!deps.campaigns || message.campaignId === undefined || !status) return;
  const outcome = status === 'DELIVERED' ? 'delivered' : UNDELIVERED.has(status) ? 'undelivered' : undefined;
  if (!outcome) return;
  try {
    await deps.campaigns.countDelivery(message.campaignId, outcome);
  } catch (error) {
    deps.logger.warn({ err: error }, 'could not count a delivery report for its campaign');
    return;
  }
  // Best effort, as after a batch: the counts are stored, a subscriber that misses one sees them with the next.
  await deps.campaignUpdates?.publish(message.campaignId).catch((error: unknown) => {
    deps.logger.warn({ err: error, campaignId: message.campaignId }, 'could not announce a campaign update');
  });
}

/**
 * Applies a report to its message: the first final status wins (a repeated or conflicting later
 * report changes nothing), subscribers of the message's request hear of a change.
 */
export async function applyReport(deps: ReportDependencies, report: DeliveryReport): Promise<ReportOutcome> {
  const delivery: DeliveryState = {
    status: deliveryStatusOf(report.carrierCode, report.success),
    ...(report.carrierCode !== undefined && { carrierCode: report.carrierCode }),
    reportedAt: (deps.clock ?? systemClock).now(),
    ...(report.deliveredAt !== undefined && { deliveredAt: report.deliveredAt }),
  };
  const update = await deps.sendLog.updateDelivery(report.messageId, delivery);
  if (update.outcome === 'updated') {
    await countForCampaign(deps, update.message);
    deps.onFinal?.(update.message);
    await deps.feed.publish(update.message).catch((error: unknown) => {
      deps.logger.warn({ err: error }, 'could not announce a delivery change to subscribers');
    });
  } else if (update.outcome === 'unchanged') {
    deps.logger.info(
      { messageId: report.messageId, kept: update.message.delivery?.status, reported: delivery.status },
      'delivery report for a message that already has a final status; kept the first',
    );
  }
  return update.outcome;
}
