import type { SmsFailure } from '../send/match-results.js';
import type { BatchOutcome, Campaign, CampaignCounts, CampaignError, CampaignStatus } from './campaign.js';

/** A new campaign as the store first keeps it (DRAFT, no recipients). */
export type NewCampaign = Omit<
  Campaign,
  keyof CampaignCounts | 'batches' | 'generation' | 'startedAt' | 'finishedAt' | 'nextBatchAt' | 'pausedReason'
>;

export type CreateOutcome =
  | { readonly outcome: 'created' | 'replayed'; readonly campaign: Campaign }
  /** The idempotency key was used for a different campaign. */
  | { readonly outcome: 'key-reused' }
  /** The tenant already has `maxOpen` campaigns not yet finished: nothing was created. */
  | { readonly outcome: 'limit-reached'; readonly open: number };

export interface RecipientEntry {
  /** As given: this is what is sent. */
  readonly endpoint: string;
  /** One person, one message: duplicates are found by this. */
  readonly canonical: string;
}

export type AddOutcome =
  | { readonly outcome: 'added'; readonly added: number; readonly duplicates: number }
  | { readonly outcome: 'not-draft'; readonly status: CampaignStatus }
  | { readonly outcome: 'too-many'; readonly recipients: number }
  /** Memory only: the replica's campaigns would hold more than `budget` recipients; nothing was added. */
  | { readonly outcome: 'over-budget'; readonly budget: number }
  | { readonly outcome: 'unknown' };

/** Fields a status change may set (undefined clears). */
export interface TransitionPatch {
  readonly status: CampaignStatus;
  readonly startAt?: Date | undefined;
  readonly startedAt?: Date | undefined;
  readonly finishedAt?: Date | undefined;
  readonly nextBatchAt?: Date | undefined;
  readonly pausedReason?: CampaignError | undefined;
  /** Fixes `batches` from the recipients at this moment (when the campaign starts). */
  readonly fixBatches?: boolean;
  /** Add one: a new run, whose jobs replace the earlier run's. */
  readonly nextGeneration?: boolean;
}

export type SlotAnswer = { readonly go: true; readonly next: number } | { readonly go: false; readonly at: number };

export interface ListQuery {
  readonly first: number;
  /** The last id of the previous page. */
  readonly after?: string | undefined;
  readonly status?: CampaignStatus | undefined;
}

export interface CampaignPage {
  readonly campaigns: readonly Campaign[];
  readonly hasNextPage: boolean;
  readonly endCursor?: string | undefined;
}

/**
 * Campaign records, recipients and counters. Every write is atomic across replicas (Redis scripts, or
 * one event loop in memory): counters always add up, a batch is counted once, a status changes only
 * from the statuses the caller expects.
 */
export interface CampaignStore {
  /**
   * Creates the campaign unless its tenant already has `maxOpen` campaigns not yet finished (DRAFT,
   * SCHEDULED, RUNNING, PAUSED), checked and created in one atomic step. With an idempotency key: a
   * retried create gets the campaign the first one made; a refused create keeps no key.
   */
  create(
    campaign: NewCampaign,
    maxOpen: number,
    idempotency?: { readonly key: string; readonly hash: string },
  ): Promise<CreateOutcome>;
  get(id: string): Promise<Campaign | undefined>;
  /** One tenant's campaigns, newest first. */
  list(tenant: string, query: ListQuery): Promise<CampaignPage>;
  /** Adds the numbers not already in the campaign, in order; only to a DRAFT, never past `max`. */
  addRecipients(id: string, entries: readonly RecipientEntry[], max: number): Promise<AddOutcome>;
  /** Changes the status only when it is one of `from`; answers the campaign as it now is (or undefined). */
  transition(
    id: string,
    from: readonly CampaignStatus[],
    patch: TransitionPatch,
  ): Promise<{ readonly changed: boolean; readonly campaign: Campaign | undefined }>;
  /** The numbers of batch `index` (0-based), in the order they were added. */
  batch(id: string, index: number): Promise<string[]>;
  batchDone(id: string, index: number): Promise<boolean>;
  /** Indexes of the batches already counted. */
  doneBatches(id: string): Promise<ReadonlySet<number>>;
  /** Counts a batch once; completes a RUNNING or PAUSED campaign when it was the last. */
  recordBatch(
    id: string,
    index: number,
    outcome: BatchOutcome,
    at: Date,
  ): Promise<{ readonly recorded: boolean; readonly completed: boolean; readonly campaign: Campaign | undefined }>;
  setNextBatchAt(id: string, at: Date | undefined): Promise<void>;
  /**
   * Pacing shared by every replica: when the campaign's next slot has come, takes it (the next one is
   * `messages / perSecond` seconds later) and answers go, with when the next batch may go; otherwise
   * answers when to ask again. Nothing is reserved ahead, so a pause leaves no gap behind it.
   */
  takeSlot(id: string, messages: number, perSecond: number, now: number): Promise<SlotAnswer>;
  countDelivery(id: string, outcome: 'delivered' | 'undelivered'): Promise<void>;
  /** The numbers not sent, in the order their batches were counted. */
  failures(id: string, offset: number, count: number): Promise<{ failures: SmsFailure[]; total: number }>;
  /** Campaigns in each status not finished (DRAFT, SCHEDULED, RUNNING, PAUSED), for metrics. */
  statusCounts(): Promise<Partial<Record<CampaignStatus, number>>>;
}
