import type { DeliveryStatus, SentMessage, SentRequest } from '../send/send-log.js';
import type { OptOutRecord, OptOutSource } from '../suppression/opt-out-store.js';
import type { OutboxEntry } from './outbox.js';
import type { OptOutLedgerAction } from './events.js';

/** A message written after its number was erased: it arrived erased, and its send-log copy must be masked. */
export interface ErasedOnArrival {
  readonly messageId: string;
  /** `erased:<keyed hash>`, as the history holds it. */
  readonly replacement: string;
}

/** Rows a write committed, by kind (the `kind` label of smn_gateway_history_rows_total). */
export interface WrittenRows {
  readonly messages: number;
  readonly reports: number;
  readonly optOuts: number;
  readonly suppressed: number;
  /** Messages of the write that an earlier erasure covers; absent when none. */
  readonly erasedOnArrival?: readonly ErasedOnArrival[];
}

/** Where a page of history starts: after this (submitted at, message id), newest first. */
export interface HistoryPosition {
  readonly submittedAt: Date;
  readonly messageId: string;
}

/** What smsHistory may filter on; at least one of endpoint/requestId/campaignId or a bounded range is checked above. */
export interface HistoryFilter {
  /** A number: canonical here, matched by its keyed hash (never stored in an index in clear). */
  readonly endpoint?: string | undefined;
  readonly requestId?: string | undefined;
  readonly campaignId?: string | undefined;
  readonly smsTemplateId?: string | undefined;
  readonly statuses?: readonly DeliveryStatus[] | undefined;
  readonly from?: Date | undefined;
  readonly to?: Date | undefined;
}

/** A page of smsHistory as the store reads it: the filter, where the page starts, how many. */
export interface HistoryQuery extends HistoryFilter {
  readonly after?: HistoryPosition | undefined;
  readonly limit: number;
}

/** The most ledger changes optOutHistory answers for one number (the latest ones, oldest first). */
export const MAX_OPT_OUT_CHANGES = 1_000;

/** How long one history query may run in PostgreSQL (statement_timeout): a read never outlives its request. */
export const HISTORY_STATEMENT_TIMEOUT_MS = 20_000;

export type StatsGrouping = 'HOUR' | 'DAY' | 'TEMPLATE' | 'CAMPAIGN';

export interface StatsQuery {
  readonly from: Date;
  readonly to: Date;
  readonly groupBy: StatsGrouping;
  readonly campaignId?: string | undefined;
  readonly smsTemplateId?: string | undefined;
}

/** Counts of one bucket. sent = delivered + undelivered + pending + unknown; suppressed were never sent. */
export interface StatsBucket {
  /** ISO 8601 start of the hour/day (UTC), the template id, or the campaign id ('' for direct sends). */
  readonly key: string;
  readonly sent: number;
  readonly delivered: number;
  readonly undelivered: number;
  readonly pending: number;
  readonly unknown: number;
  readonly suppressed: number;
}

export interface OptOutLedgerEntry {
  readonly action: OptOutLedgerAction;
  readonly source: OptOutSource;
  readonly reason?: string | undefined;
  readonly at: Date;
  readonly by?: string | undefined;
}

/** A number's latest ledger state, for rebuilding a lost opt-out list. */
export interface LatestOptOut {
  readonly tenant: string;
  readonly endpoint: string;
  readonly record: OptOutRecord;
}

export interface ErasureResult {
  readonly erasedMessages: number;
  /** Ids of erased messages that may still be in the Redis send log (submitted within `since`). */
  readonly recentMessageIds: readonly string[];
  /** What the number became: `erased:<keyed hash>`. */
  readonly replacement: string;
}

/**
 * The history in PostgreSQL. Every read takes the tenant first: another tenant's rows answer exactly
 * like no rows.
 */
export interface HistoryStore {
  /** Writes the entries' rows in one transaction; idempotent (a retried batch changes nothing). */
  write(entries: readonly OutboxEntry[]): Promise<WrittenRows>;
  /** Messages, newest first (submitted at, then message id, descending). */
  messages(tenant: string, query: HistoryQuery): Promise<SentMessage[]>;
  /** Messages by id, in the order asked (undefined where unknown to this tenant). */
  findMessages(tenant: string, messageIds: readonly string[]): Promise<Array<SentMessage | undefined>>;
  /** A request's messages in the order they were sent. */
  findRequest(tenant: string, requestId: string): Promise<SentRequest | undefined>;
  stats(tenant: string, query: StatsQuery): Promise<StatsBucket[]>;
  /** One number's ledger, oldest first: its latest MAX_OPT_OUT_CHANGES changes. */
  optOutChanges(tenant: string, endpoint: string): Promise<OptOutLedgerEntry[]>;
  /** Every number whose latest ledger change is ADDED, in pages (for the rebuild after STATE_LOST). */
  latestOptOuts(): AsyncIterable<LatestOptOut[]>;
  /**
   * Replaces the number with its keyed hash in every message of the tenant, records the erasure (time,
   * caller), and makes later writes of earlier messages (still in the outbox) arrive erased.
   */
  erase(tenant: string, endpoint: string, by: string, at: Date, recentSince: Date): Promise<ErasureResult>;
  /** Creates the month partitions needed around `now` and drops those wholly older than the retention. */
  maintain(now: Date, retentionDays: number): Promise<{ readonly created: string[]; readonly dropped: string[] }>;
  close(): Promise<void>;
}
