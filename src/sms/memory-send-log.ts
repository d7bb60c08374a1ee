import type { SendLog, SentMessage } from './send-log.js';

export interface MemorySendLogOptions {
  /** Most messages kept; the oldest go first. */
  readonly maxEntries: number;
  /** How long a message is kept after it was recorded. */
  readonly ttlMs: number;
  /** A monotonic millisecond clock (tests pin it); performance.now() by default. */
  readonly clock?: { now(): number };
}

/** Messages recorded together share one expiry, and leave together. */
interface Batch {
  readonly ids: string[];
  readonly expiresAt: number;
}

interface Entry {
  readonly message: SentMessage;
  readonly batch: Batch;
}

/**
 * The embedded send log: bounded in size and age, private to this process. Messages arrive in
 * batches that all live for the same TTL, so a queue of batches gives oldest-first expiry and
 * eviction without scanning: the front batch is always the next to go. (lru-cache, and a single
 * insertion-ordered Map, both spent ~8% of the gateway's CPU here at 1000 messages per call; see
 * bench/RESULTS.md.)
 */
export function createMemorySendLog(options: MemorySendLogOptions): SendLog & { readonly size: number } {
  const byId = new Map<string, Entry>();
  let batches: Batch[] = [];
  let head = 0;
  const now = () => (options.clock ?? performance).now();

  const forget = (batch: Batch, id: string) => {
    if (byId.get(id)?.batch === batch) byId.delete(id);
  };

  const evict = (at: number) => {
    while (head < batches.length) {
      const oldest = batches[head]!;
      const excess = byId.size - options.maxEntries;
      if (oldest.expiresAt > at && excess <= 0) break;
      if (oldest.expiresAt > at && excess < oldest.ids.length) {
        // Over the size bound by less than a batch: drop just the oldest few of it.
        for (const id of oldest.ids.splice(0, excess)) forget(oldest, id);
        break;
      }
      for (const id of oldest.ids) forget(oldest, id);
      head += 1;
    }
    if (head > 1024 && head * 2 > batches.length) {
      batches = batches.slice(head);
      head = 0;
    }
  };

  return {
    get size() {
      evict(now());
      return byId.size;
    },
    record(messages) {
      const at = now();
      const batch: Batch = { ids: messages.map((message) => message.messageId), expiresAt: at + options.ttlMs };
      batches.push(batch);
      for (const message of messages) byId.set(message.messageId, { message, batch });
      evict(at);
      return Promise.resolve();
    },
    find(messageId) {
      const entry = byId.get(messageId);
      return Promise.resolve(entry && entry.batch.expiresAt > now() ? entry.message : undefined);
    },
  };
}
