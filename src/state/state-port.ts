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

/** What replicas must share: in memory for one replica, in Redis (REDIS_URL) for several. */
export interface SharedState {
  readonly mode: 'memory' | 'redis';
  readonly sendLog: SendLog;
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
  batchQueue(options: { concurrency: number; lockMs: number }): BatchQueue;
  /** Builds a quota counter (rate-limiter-flexible) in the same place. */
  makeLimiter(points: number, durationSeconds: number, name: string): RateLimiterAbstract;
  /** False while Redis is unreachable: sends are refused and readiness fails. */
  available(): boolean;
  close(): Promise<void>;
}
