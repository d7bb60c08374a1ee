import { LRUCache } from 'lru-cache';
import { deliveryKey, type DeliveryFeed } from '../deliveries/feed.js';
import { createMemoryFeed } from '../util/feed.js';

/** Delivery changes within one process. */
export function createMemoryDeliveryFeed(): DeliveryFeed {
  return createMemoryFeed(deliveryKey);
}

/** Envelopes already handled, for one replica: bounded by count and a week's age. */
export function createMemorySeenEnvelopes() {
  const seen = new LRUCache<string, true>({ max: 200_000, ttl: 7 * 86_400_000 });
  return {
    seen: (envelopeId: string) => Promise.resolve(seen.has(envelopeId)),
    mark(envelopeId: string) {
      seen.set(envelopeId, true);
      return Promise.resolve();
    },
  };
}
