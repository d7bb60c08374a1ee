import { LRUCache } from 'lru-cache';
import { deliveryKey, type DeliveryFeed } from '../deliveries/feed.js';
import { createMemoryFeed } from '../util/feed.js';

/** Delivery changes within one process. */
export function createMemoryDeliveryFeed(): DeliveryFeed {
  return createMemoryFeed(deliveryKey);
}

/** Envelopes already handled, for one replica: bounded by count and a week's age. */
export function createMemorySeenEnvelopes() {
  // A count bound as a size bound: with `max`, lru-cache would allocate 200,000 slots at start.
  const seen = new LRUCache<string, true>({ maxSize: 200_000, sizeCalculation: () => 1, ttl: 7 * 86_400_000 });
  return {
    seen: (envelopeId: string) => Promise.resolve(seen.has(envelopeId)),
    mark(envelopeId: string) {
      seen.set(envelopeId, true);
      return Promise.resolve();
    },
  };
}
