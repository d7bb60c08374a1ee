import type { PolicyError } from '../errors/policy-error.js';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { IdempotencyStore } from '../send/idempotency-store.js';
import type { SendLog } from '../send/send-log.js';
import type { DailyCounterStore } from '../suppression/daily-counter-store.js';
import type { OptOutStore } from '../suppression/opt-out-store.js';
import type { DeliveryFeed } from '../deliveries/feed.js';
import type { RecentRecipientsStore } from '../send/recent-recipients.js';
import type { PollCoordination } from '../smn/events/report-poller.js';
import type { CampaignStore } from '../campaigns/campaign-store.js';
import type { BatchQueue } from '../campaigns/batch-queue.js';
import type { Feed } from '../util/feed.js';
import type { SeenEnvelopes } from '../smn/events/seen-envelopes.js';
import type { HistoryOutbox } from '../history/outbox.js';
import type { WebhookStore } from '../webhooks/endpoint-store.js';
import type { WebhookQueue } from '../webhooks/queue.js';

/** The history outbox a state builds when HISTORY_* is set (issue 27). */
export interface HistoryStateOptions {
  /** HISTORY_OUTBOX_MAX_ENTRIES. */
  readonly maxEntries: number;
  /** HISTORY_CLAIM_IDLE_MS: entries another replica's writer left this long are taken over. */
  readonly claimIdleMs: number;
  /** This replica's consumer name in the outbox's group (unique per replica, stable across restarts). */
  readonly consumer: string;
}

/** What /readyz says about shared state. */
export interface StateReadiness {
  readonly ready: boolean;
  readonly topology: string;
  /** Each primary this replica writes to, with the role it answered (a floating address may lead to a replica). */
  readonly nodes: ReadonlyArray<{ readonly role: string }>;
  /** `master` when every primary it writes to answered as one; else the first other role (`slave`, `unknown`). */
  readonly role?: string;
  readonly reason?: string;
  readonly markerCreatedAt?: string;
  readonly lastError?: { readonly cause: string; readonly at: Date };
}

/** What replicas must share: in memory for one replica, in Redis (REDIS_URL) for several. */
export interface SharedState {
  readonly mode: 'memory' | 'redis';
  /**
   * The send log; with a history outbox, each recorded send and each report that changed a message are
   * also appended to it (recordingSendLog; on Redis that is not a Cluster, a send and its history in
   * one EVAL).
   */
  readonly sendLog: SendLog;
  /** Where history events wait for the writer: built only with the `history` option, else undefined. */
  readonly historyOutbox: HistoryOutbox | undefined;
  readonly idempotency: IdempotencyStore;
  readonly optOuts: OptOutStore;
  readonly dailyCounters: DailyCounterStore;
  readonly recentRecipients: RecentRecipientsStore;
  readonly deliveryFeed: DeliveryFeed;
  /** Poll mode: one replica at a time reads the report API, from where the last read ended. */
  pollCoordination(intervalMs: number): PollCoordination;
  /** SMN event envelopes already handled, by the digest of what SMN signed (SMN may deliver one twice). */
  readonly seenEnvelopes: SeenEnvelopes;
  readonly campaigns: CampaignStore;
  /** Campaign ids, announced after each batch and status change. */
  readonly campaignUpdates: Feed<string>;
  /** Where campaign batches wait: BullMQ on the shared Redis, or in process. */
  batchQueue(options: { concurrency: number; lockMs: number; closeWithinMs: number }): BatchQueue;
  /** Webhook endpoints and their deliveries. */
  readonly webhooks: WebhookStore;
  /** Where webhook deliveries wait: BullMQ on the shared Redis, or in process. */
  webhookQueue(options: { concurrency: number; orderWaitMs: number; closeWithinMs: number }): WebhookQueue;
  /** Builds a quota counter (rate-limiter-flexible) in the same place. */
  makeLimiter(points: number, durationSeconds: number, name: string): RateLimiterAbstract;
  /**
   * Redis only: SMN calls per second that all replicas share (the outbound gate's SharedCallRate).
   * `take()` resolves 0 when a call may go, else the milliseconds until a point may be free; it
   * rejects when Redis fails (then nothing is sent).
   */
  callRate?(callsPerSecond: number): { take(): Promise<number> };
  /**
   * Why sends, opt-out changes and campaign batches must be refused now (STATE_UNAVAILABLE while
   * Redis is out of reach or unchecked since a reconnect, STATE_LOST once its data was lost).
   */
  refusal(): PolicyError | undefined;
  /** What /readyz reports: proven by a write where the data lives, with the topology and the last error. */
  readiness(): Promise<StateReadiness>;
  close(): Promise<void>;
}
