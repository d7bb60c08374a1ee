import type { HistoryEvent } from './events.js';

/** One event waiting in the outbox, with the id the outbox gave it (unique, in order of appending). */
export interface OutboxEntry {
  /** A Redis Stream id (`<ms>-<seq>`) or the in-process queue's counter: unique per outbox. */
  readonly id: string;
  readonly event: HistoryEvent;
  /** When it was appended (ms since the epoch). */
  readonly appendedAt: number;
}

export interface OutboxStats {
  /** Entries appended and not yet acknowledged. */
  readonly entries: number;
  /** When the oldest of them was appended (ms), if any. */
  readonly oldestAt: number | undefined;
  /** Events not appended since start because the outbox was full (HISTORY_OUTBOX_MAX_ENTRIES). */
  readonly dropped: number;
}

/**
 * Where history events wait for the writer: a Redis Stream with a consumer group (durable, shared by
 * every replica) or an in-process bounded queue (lost on crash). Append never blocks a send for long
 * and never fails one: a full outbox drops the event and counts it.
 */
export interface HistoryOutbox {
  /** Whether appended events survive this process (Redis) or not (in process). */
  readonly durable: boolean;
  append(events: readonly HistoryEvent[]): Promise<void>;
  /**
   * Up to `count` entries for this replica's writer: first those another consumer took and left
   * unacknowledged longer than the claim idle time (a replica that died mid-batch), then new ones,
   * waiting up to `blockMs` when there are none.
   */
  take(count: number, blockMs: number): Promise<OutboxEntry[]>;
  /** Removes entries PostgreSQL has committed. */
  ack(ids: readonly string[]): Promise<void>;
  stats(): Promise<OutboxStats>;
}
