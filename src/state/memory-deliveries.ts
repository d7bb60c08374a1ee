import { LRUCache } from 'lru-cache';
import { deliveryKey, type DeliveryFeed } from '../deliveries/feed.js';
import type { SeenEnvelopes } from '../smn/events/seen-envelopes.js';
import { createMemoryFeed } from '../util/feed.js';

/** Delivery changes within one process. */
export function createMemoryDeliveryFeed(): DeliveryFeed {
  return createMemoryFeed(deliveryKey);
}

/**
 * Envelopes already handled, for one replica, by the digest of their string to sign: bounded by count
 * and a week's age (older envelopes are refused as stale). Nothing survives a restart, so no record
 * keyed on message_id (before the digest) is ever looked for.
 */
export function createMemorySeenEnvelopes(): SeenEnvelopes {
  // A count bound as a size bound: with `max`, lru-cache would allocate 200,000 slots at start.
  const seen = new LRUCache<string, true>({ maxSize: 200_000, sizeCalculation: () => 1, ttl: 7 * 86_400_000 });
  return {
    seen: ({ digest }) => Promise.resolve(seen.has(digest)),
    mark({ digest }) {
      seen.set(digest, true);
      return Promise.resolve();
    },
  };
}
