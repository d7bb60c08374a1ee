import type { Logger } from 'pino';
import type { HistoryStore } from './history-store.js';

/** Thrown by the history while PostgreSQL has not been reached since start (reads retry; the writer backs off). */
export class HistoryUnavailableError extends Error {
  constructor(cause: unknown) {
    super('the history database is not reachable yet; try again shortly', { cause });
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
    write: async (entries) => ready().write(entries),
    messages: async (tenant, query) => ready().messages(tenant, query),
    findMessages: async (tenant, ids) => ready().findMessages(tenant, ids),
    findRequest: async (tenant, requestId) => ready().findRequest(tenant, requestId),
    stats: async (tenant, query) => ready().stats(tenant, query),
    optOutChanges: async (tenant, endpoint) => ready().optOutChanges(tenant, endpoint),
    latestOptOuts: () => ({ [Symbol.asyncIterator]: () => ready().latestOptOuts()[Symbol.asyncIterator]() }),
    erase: async (tenant, endpoint, by, at, recentSince) => ready().erase(tenant, endpoint, by, at, recentSince),
    maintain: async (now, retentionDays) => ready().maintain(now, retentionDays),
    close: async () => {
      closed = true;
      clearTimeout(timer);
      await opened?.close();
    },
  };
  return { store, opened: openedPromise, close: () => store.close() };
}
