import type { HistoryOutbox, OutboxEntry, OutboxStats } from '../history/outbox.js';

export interface MemoryHistoryOutboxOptions {
  /** HISTORY_OUTBOX_MAX_ENTRIES: beyond it events are dropped and counted. */
  readonly maxEntries: number;
  /** Epoch milliseconds for `appendedAt` (tests pin it). */
  readonly now?: () => number;
}

/** What a process without Redis says at start about its outbox. */
export const MEMORY_OUTBOX_WARNING =
  'history outbox is in process: events not yet written to PostgreSQL are lost if the process dies; ' +
  'set REDIS_URL for a durable outbox';

/**
 * The in-process outbox (no REDIS_URL): a bounded queue, lost with the process (`durable: false`).
 * take() answers the oldest entries not yet acknowledged (the same again after a failed write, as the
 * Redis outbox answers a consumer's own pending entries), waiting for an append up to `blockMs` when
 * there are none: a promise an append settles, never a polling loop.
 */
export function createMemoryHistoryOutbox(options: MemoryHistoryOutboxOptions): HistoryOutbox & { close(): void } {
  const now = options.now ?? Date.now;
  // Insertion order is appending order: iteration starts at the oldest entry left.
  const entries = new Map<string, OutboxEntry>();
  let next = 1;
  let dropped = 0;
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of [...waiters]) waiter();
  };
  const oldest = (count: number) => {
    const taken: OutboxEntry[] = [];
    for (const entry of entries.values()) {
      if (taken.length >= count) break;
      taken.push(entry);
    }
    return taken;
  };

  return {
    durable: false,
    append(events) {
      for (const event of events) {
        if (entries.size >= options.maxEntries) {
          dropped += 1;
          continue;
        }
        const id = String(next++);
        entries.set(id, { id, event, appendedAt: now() });
      }
      if (events.length > 0) wake();
      return Promise.resolve();
    },
    async take(count, blockMs) {
      if (entries.size === 0 && blockMs > 0) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          };
          const timer = setTimeout(done, blockMs);
          waiters.add(done);
        });
      }
      return oldest(count);
    },
    ack(ids) {
      for (const id of ids) entries.delete(id);
      return Promise.resolve();
    },
    stats(): Promise<OutboxStats> {
      const first = entries.values().next();
      return Promise.resolve({
        entries: entries.size,
        oldestAt: first.done ? undefined : first.value.appendedAt,
        dropped,
      });
    },
    /** Wakes every waiting take() (it answers what is there, likely nothing). */
    close: wake,
  };
}
