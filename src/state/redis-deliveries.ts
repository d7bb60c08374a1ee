import { randomUUID } from 'node:crypto';
import type { RedisClient } from './redis-client.js';
import type { PollCoordination } from '../smn/events/report-poller.js';
import type { Logger } from 'pino';
import { deliveryKey, type DeliveryFeed } from '../deliveries/feed.js';
import { createRedisFeed } from './redis-feed.js';
import { REPLY_WINDOW_MS, type RecentRecipient, type RecentRecipientsStore } from '../send/recent-recipients.js';
import type { SentMessage } from '../send/send-log.js';
import type { SeenEnvelopes } from '../smn/events/seen-envelopes.js';

/** Recent recipients shared by every replica: one hash per last-four-digits bucket, expiring after 72 h. */
export function createRedisRecentRecipients(redis: RedisClient, keyPrefix: string): RecentRecipientsStore {
  const keyOf = (lastFour: string) => `${keyPrefix}v1:recent:${lastFour}`;
  return {
    async remember(recipients) {
      // One transaction per bucket: a bucket is one key (one Cluster slot), and its TTL is set with its fields.
      const buckets = new Map<string, Record<string, string>>();
      for (const recipient of recipients) {
        const key = keyOf(recipient.number.slice(-4));
        const fields = buckets.get(key) ?? {};
        fields[`${recipient.number}|${recipient.tenant}`] = JSON.stringify(recipient);
        buckets.set(key, fields);
      }
      await Promise.all(
        [...buckets].map(([key, fields]) => redis.multi().hset(key, fields).pexpire(key, REPLY_WINDOW_MS).exec()),
      );
    },
    async near(countryCode, lastFour, since) {
      const entries = Object.values(await redis.hgetall(keyOf(lastFour)));
      return entries
        .map((raw) => JSON.parse(raw) as RecentRecipient)
        .filter((recipient) => recipient.at >= since && recipient.number.startsWith(`+${countryCode}`));
    },
  };
}

/** Delivery changes over Redis pub/sub, for the subscribers of each request on every replica. */
export function createRedisDeliveryFeed(redis: RedisClient, keyPrefix: string, logger: Logger): DeliveryFeed {
  return createRedisFeed(
    redis,
    {
      channel: `${keyPrefix}v1:deliveries`,
      keyOf: deliveryKey,
      encode: (message) => JSON.stringify(message),
      decode: (raw) => {
        const stored = JSON.parse(raw) as SentMessage & { submittedAt: string };
        return {
          ...stored,
          submittedAt: new Date(stored.submittedAt),
          ...(stored.delivery && {
            delivery: {
              ...stored.delivery,
              ...(stored.delivery.reportedAt && { reportedAt: new Date(stored.delivery.reportedAt) }),
              ...(stored.delivery.deliveredAt && { deliveredAt: new Date(stored.delivery.deliveredAt) }),
            },
          }),
        };
      },
    },
    logger,
  );
}

/** How long a handled envelope is remembered: as long as an envelope is accepted at all (handle.ts). */
const SEEN_FOR_MS = 7 * 86_400_000;

/**
 * Envelopes already handled, so SMN's retries and replays change nothing: one key per digest of the
 * string to sign, with a week's lifetime.
 */
export function createRedisSeenEnvelopes(redis: RedisClient, keyPrefix: string): SeenEnvelopes {
  const digestKey = (digest: string) => `${keyPrefix}v2:smn-event:${digest}`;
  return {
    seen: async ({ digest }) => (await redis.exists(digestKey(digest))) > 0,
    async mark({ digest }) {
      await redis.set(digestKey(digest), '1', 'PX', SEEN_FOR_MS);
    },
  };
}

/** One poller at a time across replicas: a lease renewed by its holder, and the shared end of the last read. */
export function createRedisPollCoordination(
  redis: RedisClient,
  keyPrefix: string,
  intervalMs: number,
): PollCoordination {
  const lease = `${keyPrefix}v1:report-poller`;
  const cursor = `${keyPrefix}v1:report-poll-cursor`;
  const me = randomUUID();
  return {
    async lead() {
      if ((await redis.set(lease, me, 'PX', intervalMs * 3, 'NX')) === 'OK') return true;
      if ((await redis.get(lease)) !== me) return false;
      await redis.pexpire(lease, intervalMs * 3);
      return true;
    },
    async lastRead() {
      const value = await redis.get(cursor);
      return value === null ? undefined : Number(value);
    },
    async setLastRead(at) {
      await redis.set(cursor, String(at));
    },
  };
}
