import type { Logger } from 'pino';
import type { HistoryStore } from './history-store.js';

/** The history database out of reach (not opened since start, or down now): HISTORY_UNAVAILABLE. */
export class HistoryUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the history database cannot be reached right now: nothing was read or erased; retry later', { cause });
    this.name = 'HistoryUnavailableError';
  }
}

export interface DeferredHistory {
  /** Answers from the opened store, or throws HistoryUnavailableError until it opened. */
  readonly store: HistoryStore;
  /** Resolves when the store opened (migrations done). */
  readonly opened: Promise<void>;
  close(): Promise<void>;
}

const REPEAT_WARNING_MS = 60_000;

/**
 * Socket failures, PostgreSQL's connection (08) and shutdown (57P01-57P03) SQLSTATEs, and a query cancelled
 * by statement_timeout (57014): the database cannot answer now.
 */
const CONNECTION_CODES =
  /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|08...|57P0[123]|57014)$/;
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i;

/** Whether a store failure is the database being out of reach (answered HISTORY_UNAVAILABLE), not a bug. */
export function isConnectionFailure(error: unknown): boolean {
  if (error instanceof HistoryUnavailableError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && CONNECTION_CODES.test(code)) || CONNECTION_MESSAGES.test(error.message);
}

/** Runs a store call, answering an out-of-reach database as HistoryUnavailableError. */
async function reachable<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isConnectionFailure(error) && !(error instanceof HistoryUnavailableError)
      ? new HistoryUnavailableError(error)
      : error;
  }
}

/**
 * Opens the history store (connect, migrate) without holding up the service: a PostgreSQL out of reach
 * at start does not stop sends, which keep filling the outbox. Opening is tried again every `retryMs`
 * until it succeeds; the cause is logged once, then at most once a minute.
 */
export function deferHistoryStore(
  open: () => Promise<HistoryStore>,
  options: { readonly retryMs: number; readonly logger: Logger },
): DeferredHistory {
  let opened: HistoryStore | undefined;
  let lastError: unknown = new Error('not opened yet');
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let warnedAt = -Infinity;
  let markOpened!: () => void;
  const openedPromise = new Promise<void>((resolve) => (markOpened = resolve));

  const attempt = async (): Promise<void> => {
    try {
      const store = await open();
      if (closed) {
        await store.close();
        return;
      }
      opened = store;
      if (warnedAt !== -Infinity) options.logger.info('history database reached; migrations done');
      markOpened();
    } catch (error) {
      lastError = error;
      if (Date.now() - warnedAt >= REPEAT_WARNING_MS) {
        warnedAt = Date.now();
        options.logger.warn(
          { err: error, retryMs: options.retryMs },
          'history database not reachable: sends go on, history waits in the outbox; retrying',
        );
      }
      if (!closed) timer = setTimeout(() => void attempt(), options.retryMs).unref();
    }
  };
  void attempt();

  const ready = (): HistoryStore => {
    if (!opened) throw new HistoryUnavailableError(lastError);
    return opened;
  };
  const store: HistoryStore = {
    // The writer sees PostgreSQL's own errors (it logs their cause); reads answer HISTORY_UNAVAILABLE.
    write: async (entries) => ready().write(entries),
    messages: (tenant, query) => reachable(async () => ready().messages(tenant, query)),
    findMessages: (tenant, ids) => reachable(async () => ready().findMessages(tenant, ids)),
    findRequest: (tenant, requestId) => reachable(async () => ready().findRequest(tenant, requestId)),
    stats: (tenant, query) => reachable(async () => ready().stats(tenant, query)),
    optOutChanges: (tenant, endpoint) => reachable(async () => ready().optOutChanges(tenant, endpoint)),
    latestOptOuts: () => ({ [Symbol.asyncIterator]: () => ready().latestOptOuts()[Symbol.asyncIterator]() }),
    erase: (tenant, endpoint, by, at, recentSince) =>
      reachable(async () => ready().erase(tenant, endpoint, by, at, recentSince)),
    maintain: async (now, retentionDays) => ready().maintain(now, retentionDays),
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await opened?.close();
    },
  };
  return { store, opened: openedPromise, close: () => store.close() };
}
