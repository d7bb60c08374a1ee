import { LRUCache } from 'lru-cache';
import type { DeliveryFeed, DeliveryListener } from '../deliveries/feed.js';

/** Delivery changes within one process. */
export function createMemoryDeliveryFeed(): DeliveryFeed {
  const listeners = new Map<string, Set<DeliveryListener>>();
  return {
    publish(message) {
      for (const listener of listeners.get(message.requestId) ?? []) listener(message);
      return Promise.resolve();
    },
    subscribe(requestId, listener) {
      let set = listeners.get(requestId);
      if (!set) listeners.set(requestId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(requestId);
      };
    },
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
