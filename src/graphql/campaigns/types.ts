import { DateTimeResolver } from 'graphql-scalars';
import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { ErrorCode, SMN_CODE_PREFIX } from '../../error-codes.js';
import { remainingOf, type Campaign } from '../../campaigns/campaign.js';
import { SmsFailed } from '../promotion-sms/sms-failed.js';
import { PageInfo } from '../page-info.js';
import { Node } from '../node/node.js';

export enum PromotionCampaignStatus {
  DRAFT = 'DRAFT',
  SCHEDULED = 'SCHEDULED',
  RUNNING = 'RUNNING',
  PAUSED = 'PAUSED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}

registerEnumType(PromotionCampaignStatus, {
  name: 'PromotionCampaignStatus',
  description: 'Where a campaign stands.',
  valuesConfig: {
    DRAFT: { description: 'Created; takes recipients; nothing is sent.' },
    SCHEDULED: { description: 'Started with a startAt in the future; sending begins then.' },
    RUNNING: {
      description: 'Batches are going out (or waiting for the send window, quota or pacing: see nextBatchAt).',
    },
    PAUSED: { description: 'No new batch starts (paused by you, or by the gateway: see pausedReason).' },
    COMPLETED: { description: 'Every batch is done. Final.' },
    CANCELLED: { description: 'The remaining batches were dropped. Final.' },
  },
});

/** Why the gateway paused a campaign: the refusals every batch would meet again (campaigns/run-batch.ts). */
export const CampaignErrorCode = {
  SMN_REJECTED: ErrorCode.SMN_REJECTED,
  QUOTA_EXCEEDED: ErrorCode.QUOTA_EXCEEDED,
  OTHER: 'OTHER',
} as const;
export type CampaignErrorCode = (typeof CampaignErrorCode)[keyof typeof CampaignErrorCode];

registerEnumType(CampaignErrorCode, {
  name: 'CampaignErrorCode',
  description: 'Why the gateway paused a campaign by itself. New values may be added; treat unknown ones as OTHER.',
  valuesConfig: {
    SMN_REJECTED: { description: 'SMN refused the batch (template, signature, account): see smnCode.' },
    QUOTA_EXCEEDED: { description: "One batch is larger than the creator's whole recipient quota." },
    OTHER: { description: 'Another reason: see message.' },
  },
});

const CAMPAIGN_ERROR_CODES = new Set<string>(Object.values(CampaignErrorCode));

@ObjectType({ simpleResolvers: true, description: 'Why the gateway paused a campaign by itself.' })
export class CampaignError {
  @Field(() => CampaignErrorCode, { description: 'Why, e.g. SMN_REJECTED.' })
  code!: CampaignErrorCode;

  @Field(() => String, {
    nullable: true,
    description: "SMN's (or its API gateway's) own code exactly as given, e.g. SMN.0162; null when SMN gave none.",
  })
  smnCode?: string | undefined;

  @Field(() => String, {
    description: "What went wrong, with SMN's own code (e.g. SMN.0162: the template does not exist).",
  })
  message!: string;

  static from(reason: { readonly code: string; readonly message: string }): CampaignError {
    return Object.assign(new CampaignError(), {
      code: CAMPAIGN_ERROR_CODES.has(reason.code) ? (reason.code as CampaignErrorCode) : CampaignErrorCode.OTHER,
      smnCode: SMN_CODE_PREFIX.exec(reason.message)?.[1],
      message: reason.message,
    });
  }
}

@ObjectType({ simpleResolvers: true, description: 'One number not sent, with its cursor.' })
export class SmsFailedEdge {
  @Field(() => String, { description: 'Pass as `after` to read on from this number.' })
  cursor!: string;

  @Field(() => SmsFailed, { description: 'The number.' })
  node!: SmsFailed;
}

@ObjectType({ simpleResolvers: true, description: 'One page of numbers that were not sent (a Relay connection).' })
export class SmsFailedPage {
  @Field(() => [SmsFailedEdge], { description: 'The numbers of this page, with their cursors.' })
  edges!: SmsFailedEdge[];

  @Field(() => [SmsFailed], { description: 'The numbers of this page.' })
  nodes!: SmsFailed[];

  @Field(() => PageInfo, { description: 'Where this page starts and ends.' })
  pageInfo!: PageInfo;
}

@Directive('@key(fields: "id")')
@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description:
    'A promotional SMS campaign: one template sent to a large audience in batches of up to 1000, paced, inside ' +
    'the send window, each number at most once. Counts always add up: recipients = sent + failed + suppressed + ' +
    'unknown + remaining. A federation entity.',
})
export class PromotionCampaign implements Node {
  @Field(() => ID, {
    description: 'The campaign id (cmp_...), unique across tenants: its global id (Node) and the federation key.',
  })
  id!: string;

  @Field(() => String, { description: 'Its name, for people.' })
  name!: string;

  @Field(() => PromotionCampaignStatus, { description: 'Where it stands.' })
  status!: PromotionCampaignStatus;

  @Field(() => String, { description: 'The promotional SMS template every batch sends.' })
  smsTemplateId!: string;

  @Field(() => String, { nullable: true, description: 'The signature every batch sends with, when one was given.' })
  signId?: string | undefined;

  @Field(() => DateTimeResolver, { description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When sending is to begin, if set at creation.' })
  startAt?: Date | undefined;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it started running.' })
  startedAt?: Date | undefined;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it completed or was cancelled.' })
  finishedAt?: Date | undefined;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'While RUNNING: when the next batch may go (pacing, the send window, the recipient quota).',
  })
  nextBatchAt?: Date | undefined;

  @Field(() => CampaignError, {
    nullable: true,
    description: 'Set when the gateway paused it itself (e.g. SMN_REJECTED).',
  })
  pausedReason?: CampaignError | undefined;

  @Field(() => Int, { description: 'Numbers in the campaign, after duplicates were removed.' })
  recipients!: number;

  @Field(() => Int, { description: 'Numbers left out as duplicates of one already in (same canonical number).' })
  duplicatesRemoved!: number;

  @Field(() => Int, { description: 'Numbers SMN accepted.' })
  sent!: number;

  @Field(() => Int, { description: 'Numbers not sent: refused by SMN, or their batch failed after every attempt.' })
  failed!: number;

  @Field(() => Int, { description: 'Numbers held back: opted out, or over the per-number daily limit.' })
  suppressed!: number;

  @Field(() => Int, {
    description:
      'Numbers whose batch may or may not have reached SMN (a worker died mid-batch, a timeout): never resent.',
  })
  unknown!: number;

  @Field(() => Int, { description: 'Numbers not yet dealt with.' })
  remaining!: number;

  @Field(() => Int, { description: 'Sent numbers a delivery report says reached the phone.' })
  delivered!: number;

  @Field(() => Int, { description: 'Sent numbers a delivery report says did not reach the phone.' })
  undelivered!: number;

  @Field(() => Int, { description: 'Batches of up to 1000 numbers (fixed at start).' })
  batches!: number;

  @Field(() => Int, { description: 'Batches counted: sent, failed, held back or unknown.' })
  batchesDone!: number;

  @Field(() => Int, {
    description:
      'Of `sent`, messages whose record could not be written (shared state full or out of reach): they were sent, ' +
      'but their delivery reports will not be matched to them. 0 normally.',
  })
  unrecorded!: number;

  static from(campaign: Campaign): PromotionCampaign {
    return Object.assign(new PromotionCampaign(), {
      id: campaign.id,
      name: campaign.name,
      status: campaign.status as PromotionCampaignStatus,
      smsTemplateId: campaign.smsTemplateId,
      signId: campaign.signId,
      createdAt: campaign.createdAt,
      startAt: campaign.startAt,
      startedAt: campaign.startedAt,
      finishedAt: campaign.finishedAt,
      nextBatchAt: campaign.status === 'RUNNING' ? campaign.nextBatchAt : undefined,
      pausedReason: campaign.pausedReason && CampaignError.from(campaign.pausedReason),
      recipients: campaign.recipients,
      duplicatesRemoved: campaign.duplicatesRemoved,
      sent: campaign.sent,
      failed: campaign.failed,
      suppressed: campaign.suppressed,
      unknown: campaign.unknown,
      remaining: remainingOf(campaign),
      delivered: campaign.delivered,
      undelivered: campaign.undelivered,
      batches: campaign.batches,
      batchesDone: campaign.batchesDone,
      unrecorded: campaign.unrecorded,
    });
  }
}

@ObjectType({ simpleResolvers: true, description: 'One campaign, with its cursor.' })
export class PromotionCampaignEdge {
  @Field(() => String, { description: 'Pass as `after` to read on from this campaign.' })
  cursor!: string;

  @Field(() => PromotionCampaign, { description: 'The campaign.' })
  node!: PromotionCampaign;
}

@ObjectType({ simpleResolvers: true, description: 'One page of campaigns, newest first (a Relay connection).' })
export class PromotionCampaignPage {
  @Field(() => [PromotionCampaignEdge], { description: 'The campaigns of this page, with their cursors.' })
  edges!: PromotionCampaignEdge[];

  @Field(() => [PromotionCampaign], { description: 'The campaigns of this page.' })
  nodes!: PromotionCampaign[];

  @Field(() => PageInfo, { description: 'Where this page starts and ends.' })
  pageInfo!: PageInfo;
}

@ObjectType({ simpleResolvers: true, description: 'A number that was not added; its value is never echoed.' })
export class InvalidRecipient {
  @Field(() => Int, { description: 'Its position in `endpoints` (0-based).' })
  index!: number;

  @Field(() => String, { description: 'Which rule it broke.' })
  message!: string;
}

@ObjectType({ simpleResolvers: true, description: 'What one addPromotionCampaignRecipients call did.' })
export class AddPromotionCampaignRecipientsPayload {
  @Field(() => PromotionCampaign, { description: 'The campaign after the call.' })
  campaign!: PromotionCampaign;

  @Field(() => Int, { description: 'Numbers added by this call.' })
  added!: number;

  @Field(() => Int, { description: 'Numbers of this call already in the campaign (or repeated in the call).' })
  duplicatesRemoved!: number;

  @Field(() => Int, { description: 'Numbers skipped as invalid (skipInvalid: true).' })
  invalid!: number;

  @Field(() => [InvalidRecipient], { description: 'The first 50 invalid numbers, by index.' })
  invalidSamples!: InvalidRecipient[];
}
