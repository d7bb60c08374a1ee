import { randomBytes } from 'node:crypto';
import type { SmsFailure } from '../send/match-results.js';

export const CAMPAIGN_STATUSES = ['DRAFT', 'SCHEDULED', 'RUNNING', 'PAUSED', 'COMPLETED', 'CANCELLED'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** SMN's limit on one PromotionSmsPublish call: a campaign's batches are at most this big. */
export const CAMPAIGN_BATCH_SIZE = 1000;

/** Why the gateway paused a campaign by itself (SMN refused the template, the signature, the balance...). */
export interface CampaignError {
  readonly code: string;
  readonly message: string;
}

/** Who created it: sends go out as this caller (its tenant's opt-outs, its recipient quota). */
export interface CampaignOwner {
  readonly sub: string;
  readonly tenant?: string | undefined;
}

/** What the campaign sends, fixed at creation. */
export interface CampaignMessage {
  readonly smsTemplateId: string;
  readonly signId?: string | undefined;
  readonly extendCode?: string | undefined;
  readonly extendSrcId?: string | undefined;
}

/** Counters, updated atomically by every worker on every replica. */
export interface CampaignCounts {
  readonly recipients: number;
  readonly duplicatesRemoved: number;
  readonly sent: number;
  readonly failed: number;
  readonly suppressed: number;
  readonly unknown: number;
  readonly delivered: number;
  readonly undelivered: number;
  readonly batchesDone: number;
  /** Of `sent`, messages whose send-log record could not be written (their reports will not match). */
  readonly unrecorded: number;
}

export interface Campaign extends CampaignMessage, CampaignCounts {
  readonly id: string;
  readonly tenant: string;
  readonly owner: CampaignOwner;
  readonly name: string;
  readonly status: CampaignStatus;
  /** Messages per second across all replicas; 0 paces nothing. */
  readonly messagesPerSecond: number;
  readonly createdAt: Date;
  readonly startAt?: Date | undefined;
  readonly startedAt?: Date | undefined;
  readonly finishedAt?: Date | undefined;
  readonly nextBatchAt?: Date | undefined;
  readonly pausedReason?: CampaignError | undefined;
  /** Fixed at start: ceil(recipients / 1000). */
  readonly batches: number;
  /** Bumped by every resume: jobs of an earlier run are dropped, the batches not done are queued again. */
  readonly generation: number;
}

export const EMPTY_COUNTS: CampaignCounts = {
  recipients: 0,
  duplicatesRemoved: 0,
  sent: 0,
  failed: 0,
  suppressed: 0,
  unknown: 0,
  delivered: 0,
  undelivered: 0,
  batchesDone: 0,
  unrecorded: 0,
};

/** recipients = sent + failed + suppressed + unknown + remaining, always. */
export function remainingOf(campaign: CampaignCounts): number {
  return campaign.recipients - campaign.sent - campaign.failed - campaign.suppressed - campaign.unknown;
}

export function isFinished(status: CampaignStatus): boolean {
  return status === 'COMPLETED' || status === 'CANCELLED';
}

/**
 * Whether a finished campaign's delivery counts can no longer change: COMPLETED or CANCELLED, and every
 * message it sent that reports can reach (sent − unrecorded) has a counted final report (delivered +
 * undelivered). A report with the status UNKNOWN is not counted, so such a campaign settles only by
 * the subscription's timeout (CAMPAIGN_UPDATES_SETTLE_SECONDS).
 */
export function deliveriesSettled(campaign: Campaign): boolean {
  return (
    isFinished(campaign.status) && campaign.delivered + campaign.undelivered >= campaign.sent - campaign.unrecorded
  );
}

/**
 * Ids sort by creation time (newest last), so listing newest first is a range read in every store:
 * `cmp_` + milliseconds in base 36 + 64 random bits.
 */
export function newCampaignId(now: Date): string {
  return `cmp_${now.getTime().toString(36).padStart(9, '0')}${randomBytes(8).toString('hex')}`;
}

export const CAMPAIGN_ID = /^cmp_[0-9a-z]{9}[0-9a-f]{16}$/;

/** What one batch did, added to the counters once (a batch recorded twice counts once). */
export interface BatchOutcome {
  readonly sent: number;
  readonly failed: number;
  readonly suppressed: number;
  readonly unknown: number;
  /** Of `sent`, messages whose send-log record could not be written (their reports will not match). */
  readonly unrecorded?: number;
  /** The numbers not sent (failed or held back), for `failures`. */
  readonly failures: readonly SmsFailure[];
}

export function batchCount(recipients: number): number {
  return Math.ceil(recipients / CAMPAIGN_BATCH_SIZE);
}
