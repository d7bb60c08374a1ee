import type { SentMessage } from '../sms/send-log.js';

/** A message whose delivery status changed, for the subscribers of its request. */
export type DeliveryListener = (message: SentMessage) => void;

/**
 * Where delivery changes are announced: in process for one replica, over Redis pub/sub for several,
 * so a subscriber on replica A sees a report that reached replica B.
 */
export interface DeliveryFeed {
  publish(message: SentMessage): Promise<void>;
  /** Listens for changes of this request's messages; returns the way to stop. */
  subscribe(requestId: string, listener: DeliveryListener): () => void;
  close(): Promise<void>;
}

/** The subscribers of one replica, by request: what both feeds hand their changes to. */
export function createListenerRegistry() {
  const listeners = new Map<string, Set<DeliveryListener>>();
  return {
    add(requestId: string, listener: DeliveryListener): () => void {
      let set = listeners.get(requestId);
      if (!set) listeners.set(requestId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(requestId);
      };
    },
    emit(message: SentMessage): void {
      for (const listener of listeners.get(message.requestId) ?? []) listener(message);
    },
    clear(): void {
      listeners.clear();
    },
  };
}
