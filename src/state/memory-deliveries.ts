import { LRUCache } from 'lru-cache';
import { createListenerRegistry, type DeliveryFeed } from '../deliveries/feed.js';

/** Delivery changes within one process. */
export function createMemoryDeliveryFeed(): DeliveryFeed {
  const listeners = createListenerRegistry();
  return {
    publish(message) {
      listeners.emit(message);
      return Promise.resolve();
    },
    subscribe: (requestId, listener) => listeners.add(requestId, listener),
    close() {
      listeners.clear();
      return Promise.resolve();
    },
  };
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
