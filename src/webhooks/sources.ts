import type { CampaignStore } from '../campaigns/campaign-store.js';
import type { Campaign } from '../campaigns/campaign.js';
import type { MatchedReply } from '../deliveries/replies.js';
import type { SentMessage } from '../send/send-log.js';
import type { OptOutLedgerChange } from '../suppression/opt-outs.js';
import type { Clock } from '../util/clock.js';
import type { WebhookEmit } from './events.js';

/**
 * The event sources, as the use cases that keep each change report them. Bodies carry ids and
 * statuses; a number only where the event is about a number (replies, opt-outs).
 */

/** A report gave the message its final status (the first final status wins, so once per message). */
export function deliveryChanged(emit: WebhookEmit, clock: Clock) {
  return (message: SentMessage): void => {
    const delivery = message.delivery;
    if (!delivery) return;
    emit({
      tenant: message.sentBy?.tenant ?? '',
      type: 'MESSAGE_DELIVERY_CHANGED',
      subject: message.messageId,
      at: delivery.reportedAt ?? clock.now(),
      data: {
        messageId: message.messageId,
        requestId: message.requestId,
        ...(message.campaignId !== undefined && { campaignId: message.campaignId }),
        status: delivery.status,
        ...(delivery.carrierCode !== undefined && { carrierCode: delivery.carrierCode }),
        ...(delivery.deliveredAt !== undefined && { deliveredAt: delivery.deliveredAt.toISOString() }),
      },
    });
  };
}

export function replyReceived(emit: WebhookEmit, clock: Clock) {
  return (reply: MatchedReply): void =>
    emit({
      tenant: reply.tenant,
      type: 'REPLY_RECEIVED',
      subject: reply.number,
      at: clock.now(),
      data: {
        number: reply.number,
        text: reply.text.slice(0, 1_000),
        ...(reply.signId !== undefined && { signId: reply.signId }),
        optOutKeyword: reply.optOut,
      },
    });
}

/** One event per number whose state the opt-out list changed (manual or by reply). */
export function optOutChanged(emit: WebhookEmit) {
  return (change: OptOutLedgerChange): void => {
    for (const number of change.endpoints) {
      emit({
        tenant: change.tenant,
        type: 'OPT_OUT_CHANGED',
        subject: number,
        at: change.at,
        data: { number, action: change.action, source: change.source },
      });
    }
  };
}

function campaignEvent(emit: WebhookEmit, clock: Clock, campaign: Campaign): void {
  emit({
    tenant: campaign.tenant,
    type: 'CAMPAIGN_STATUS_CHANGED',
    subject: campaign.id,
    at: clock.now(),
    data: {
      campaignId: campaign.id,
      status: campaign.status,
      ...(campaign.pausedReason && { pausedReason: campaign.pausedReason.code }),
    },
  });
}

/**
 * The campaign store, telling of every status it changes: every status change of every path (the
 * use cases, the batch runner, the completion after the last batch) goes through `transition` or
 * `recordBatch`, each atomic, so each change is told once, by the replica that made it.
 */
export function statusReportingCampaignStore(store: CampaignStore, emit: WebhookEmit, clock: Clock): CampaignStore {
  return Object.assign(Object.create(store) as CampaignStore, {
    async transition(...args: Parameters<CampaignStore['transition']>) {
      const result = await store.transition(...args);
      if (result.changed && result.campaign) campaignEvent(emit, clock, result.campaign);
      return result;
    },
    async recordBatch(...args: Parameters<CampaignStore['recordBatch']>) {
      const result = await store.recordBatch(...args);
      if (result.completed && result.campaign) campaignEvent(emit, clock, result.campaign);
      return result;
    },
  });
}
