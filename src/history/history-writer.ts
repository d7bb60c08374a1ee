import type { Logger } from 'pino';
import { bounded } from '../observability/bounded.js';
import { maskNumbersInText } from '../observability/phone-mask.js';
import type { ErasedOnArrival, HistoryStore, WrittenRows } from './history-store.js';
import type { HistoryOutbox } from './outbox.js';

/** The `kind` label of smn_gateway_history_rows_total. */
export type HistoryRowKind = 'message' | 'report' | 'opt_out' | 'suppressed';

/** Where a round of the writer failed. */
export type HistoryWriterStage = 'take' | 'write' | 'mask' | 'ack';

/** Time as the writer reads it: injected so a test moves it and never sleeps for real. */
export interface HistoryWriterClock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (stop()). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const systemWriterClock: HistoryWriterClock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (signal.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener('abort', done);
    }),
};

export interface HistoryWriterOptions {
  readonly outbox: HistoryOutbox;
  readonly store: HistoryStore;
  readonly logger: Logger;
  /** HISTORY_BATCH_ENTRIES: outbox entries per write. */
  readonly batchEntries: number;
  /** Rows one write committed, per kind (only kinds with rows). */
  readonly onRows: (kind: HistoryRowKind, rows: number) => void;
  /** Each failed round (taking, writing or acknowledging), by cause. */
  readonly onFailure: (cause: string, stage: HistoryWriterStage) => void;
  readonly clock?: HistoryWriterClock;
  /** How long a take waits for new entries (ms). */
  readonly blockMs?: number;
  /** A cause already logged is logged again at most this often while it lasts. */
  readonly logIntervalMs?: number;
  /**
   * Messages a write found already erased (their number was erased while they waited in the outbox):
   * their send-log copies are masked before the entries are acknowledged, so a failure retries both.
   */
  readonly maskErased?: (erased: readonly ErasedOnArrival[]) => Promise<void>;
}

export interface HistoryWriter {
  /** Finishes the batch in flight (no new one is taken) and resolves. */
  stop(): Promise<void>;
}

const FIRST_BACKOFF_MS = 200;
const MAX_BACKOFF_MS = 5_000;

/**
 * The cause of a failure, short and bounded: PostgreSQL's SQLSTATE or a socket code (`code`), the
 * first upper-case word of a Redis answer (NOGROUP, OOM, READONLY), else the error's name.
 */
export function failureCause(error: unknown): string {
  if (!(error instanceof Error)) return 'UNKNOWN';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return bounded(code, 40);
  const word = /^([A-Z][A-Z_-]{2,})\b/.exec(error.message)?.[1];
  if (word && word !== 'ERR') return word;
  return bounded(error.name, 40);
}

const ROW_KINDS: ReadonlyArray<[HistoryRowKind, Exclude<keyof WrittenRows, 'erasedOnArrival'>]> = [
  ['message', 'messages'],
  ['report', 'reports'],
  ['opt_out', 'optOuts'],
  ['suppressed', 'suppressed'],
];

/**
 * Drains the outbox into the history store: take a batch, write it in one transaction, acknowledge
 * only what was committed, count the rows. A failed round acknowledges nothing (the entries are taken
 * again: the store's write is idempotent), logs its cause once and then at most once a minute while
 * it lasts (as the Redis cause log does; that one lives in state/, which history/ does not import),
 * and backs off 200 ms doubling to 5 s before the next, reset by a round that succeeds, which logs
 * 'history writer caught up'. Entries the outbox cannot decode never reach here: it acknowledges them.
 */
export function startHistoryWriter(options: HistoryWriterOptions): HistoryWriter {
  const { outbox, store, batchEntries, onRows, onFailure } = options;
  const clock = options.clock ?? systemWriterClock;
  const blockMs = options.blockMs ?? 1_000;
  const logIntervalMs = options.logIntervalMs ?? 60_000;
  const log = options.logger.child({ component: 'history-writer' });
  const stopping = new AbortController();
  let backoffMs = FIRST_BACKOFF_MS;
  let failures = 0;
  const logged = new Map<string, { at: number; notLogged: number }>();

  const failed = (error: unknown, stage: HistoryWriterStage) => {
    const cause = failureCause(error);
    failures += 1;
    onFailure(cause, stage);
    const key = `${stage}|${cause}`;
    const seen = logged.get(key);
    if (seen && clock.now() - seen.at < logIntervalMs) {
      seen.notLogged += 1;
      return;
    }
    log.warn(
      {
        cause,
        stage,
        err: bounded(maskNumbersInText(error instanceof Error ? error.message : String(error)), 300),
        retryInMs: backoffMs,
        ...(seen && { notLoggedSince: seen.notLogged }),
      },
      seen ? `history writer still failing: ${cause}` : `history writer failing: ${cause}`,
    );
    logged.set(key, { at: clock.now(), notLogged: 0 });
  };

  const succeeded = () => {
    if (failures > 0) log.info({ failedRounds: failures }, 'history writer caught up');
    failures = 0;
    backoffMs = FIRST_BACKOFF_MS;
    logged.clear();
  };

  /** One round: true when it failed (then the loop backs off). */
  const round = async (): Promise<boolean> => {
    let stage: HistoryWriterStage = 'take';
    try {
      const entries = await outbox.take(batchEntries, blockMs);
      if (entries.length > 0) {
        stage = 'write';
        const rows = await store.write(entries);
        if (rows.erasedOnArrival && options.maskErased) {
          stage = 'mask';
          await options.maskErased(rows.erasedOnArrival);
        }
        stage = 'ack';
        await outbox.ack(entries.map((entry) => entry.id));
        for (const [kind, field] of ROW_KINDS) if (rows[field] > 0) onRows(kind, rows[field]);
      }
      succeeded();
      return false;
    } catch (error) {
      failed(error, stage);
      return true;
    }
  };

  const loop = (async () => {
    while (!stopping.signal.aborted) {
      if (await round()) {
        if (stopping.signal.aborted) break;
        await clock.sleep(backoffMs, stopping.signal);
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
      }
    }
  })();

  return {
    async stop() {
      stopping.abort();
      await loop;
    },
  };
}
