import { LRUCache } from 'lru-cache';
import type { SendLog, SentMessage } from './send-log.js';

export interface MemorySendLogOptions {
  /** Most messages kept; the least recently used go first. */
  readonly maxEntries: number;
  /** How long a message is kept after it was recorded. */
  readonly ttlMs: number;
  /** A monotonic millisecond clock (tests pin it); performance.now() by default. */
  readonly clock?: { now(): number };
}

/** The embedded send log: bounded in size and age, private to this process. */
export function createMemorySendLog(options: MemorySendLogOptions): SendLog & { readonly size: number } {
  const cache = new LRUCache<string, SentMessage>({
    max: options.maxEntries,
    ttl: options.ttlMs,
    ...(options.clock && { perf: options.clock, ttlResolution: 0 }),
  });
  return {
    get size() {
      return cache.size;
    },
    record(messages) {
      for (const message of messages) cache.set(message.messageId, message);
      return Promise.resolve();
    },
    find(messageId) {
      return Promise.resolve(cache.get(messageId));
    },
  };
}
