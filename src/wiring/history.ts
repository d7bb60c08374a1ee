import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Config } from '../config/index.js';
import { deferHistoryStore } from '../history/deferred-store.js';
import { createHistory, HISTORY_OFF, type History } from '../history/history.js';
import type { HistoryStore } from '../history/history-store.js';
import { startHistoryWriter } from '../history/history-writer.js';
import type { HistoryEvent } from '../history/events.js';
import { rebuildOptOuts } from '../history/rebuild-opt-outs.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { HeldBackCount } from '../send/publish.js';
import type { SendLog } from '../send/send-log.js';
import type { SharedStateHooks } from '../state/shared-state.js';
import type { SharedState } from '../state/state-port.js';
import type { OptOutLedgerChange } from '../suppression/opt-outs.js';
import { systemClock, type Clock } from '../util/clock.js';
import type { Lifecycle } from './lifecycle.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How often opening the history database (connect, migrate) is tried again while it fails. */
const OPEN_RETRY_MS = 5_000;

export interface HistoryPart {
  /** What the shared state needs for the history: the outbox settings and the rebuild before a resume. */
  readonly stateHooks: Pick<SharedStateHooks, 'history' | 'onHistoryAppendError' | 'beforeResume'>;
  /** The history in PostgreSQL (opened in the background), or undefined when it is off. */
  readonly store: HistoryStore | undefined;
  /** Once the state exists: the writer, the metrics, retention, and the hooks that feed the outbox. */
  attach(state: SharedState): HistoryFeeds;
}

/** What the send path and the opt-out list tell the history. */
export interface HistoryFeeds {
  readonly ledger: ((change: OptOutLedgerChange) => void) | undefined;
  readonly onHeldBack: ((held: HeldBackCount) => void) | undefined;
  /** The read and erasure use cases (HISTORY_DISABLED when off). */
  use(sendLog: Pick<SendLog, 'maskEndpoint'>): History;
}

const NO_FEEDS: HistoryFeeds = { ledger: undefined, onHeldBack: undefined, use: () => HISTORY_OFF };

/**
 * Part of the composition root (app.ts, through wireSendPath): the history in PostgreSQL (docs/history.md).
 * Off without HISTORY_DATABASE_URL. Stops: the writer (before the shared state, whose connection it
 * reads from), then the database pool (after the shared state).
 */
export function wireHistory(
  config: Config,
  parts: { readonly logger: Logger; readonly metrics: Metrics; readonly clock: Clock | undefined },
  lifecycle: Lifecycle,
): HistoryPart {
  const settings = config.history;
  if (!settings) return { stateHooks: {}, store: undefined, attach: () => NO_FEEDS };
  const logger = parts.logger.child({ component: 'history' });
  if (settings.erasureKeyDefaulted) {
    logger.warn(
      'HISTORY_ERASURE_KEY is not set: erased numbers are hashed with a published development key (required in production)',
    );
  }
  const deferred = deferHistoryStore(
    async () => (await import('../postgres/postgres-history-store.js')).openPostgresHistory(settings, logger),
    { retryMs: OPEN_RETRY_MS, logger },
  );
  // Registered before the state: the pool closes after it (the writer, registered after, stops first).
  lifecycle.toDispose(() => deferred.close());
  const { store } = deferred;
  let optOutsOfState: SharedState['optOuts'] | undefined;
  const stateHooks: HistoryPart['stateHooks'] = {
    history: {
      maxEntries: settings.outboxMaxEntries,
      claimIdleMs: settings.claimIdleMs,
      // Unique per process: a restarted replica's unwritten entries are taken over after HISTORY_CLAIM_IDLE_MS.
      consumer: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    },
    onHistoryAppendError: () => parts.metrics.historyAppendFailure(),
    beforeResume: async () => {
      if (!optOutsOfState) return;
      const rebuilt = await rebuildOptOuts(store, optOutsOfState);
      logger.warn(rebuilt, 'opt-out list rebuilt from the history ledger');
    },
  };
  return {
    stateHooks,
    store,
    attach(state) {
      optOutsOfState = state.optOuts;
      const outbox = state.historyOutbox;
      if (!outbox) throw new Error('the shared state was built without the history outbox');
      parts.metrics.observeHistory(outbox);
      const append = (event: HistoryEvent) => {
        outbox.append([event]).catch((error: unknown) => {
          parts.metrics.historyAppendFailure();
          logger.warn({ err: error, kind: event.kind }, 'could not append a history event; the change itself was kept');
        });
      };
      if (settings.writer) {
        const writer = startHistoryWriter({
          outbox,
          store,
          logger,
          batchEntries: settings.batchEntries,
          onRows: parts.metrics.historyRows,
          onFailure: parts.metrics.historyWriteFailure,
          maskErased: async (erased) => {
            const byReplacement = new Map<string, string[]>();
            for (const { messageId, replacement } of erased) {
              const ids = byReplacement.get(replacement) ?? [];
              ids.push(messageId);
              byReplacement.set(replacement, ids);
            }
            for (const [replacement, ids] of byReplacement) await state.sendLog.maskEndpoint(ids, replacement);
          },
        });
        lifecycle.toDispose(() => writer.stop());
      }
      // Retention once a day (one replica does it: the store takes an advisory lock), first once opened.
      const clock = parts.clock ?? systemClock;
      const maintain = () =>
        store.maintain(clock.now(), settings.retentionDays).then(
          ({ created, dropped }) => {
            if (created.length + dropped.length > 0) logger.info({ created, dropped }, 'history partitions maintained');
          },
          (error: unknown) => logger.warn({ err: error }, 'history retention did not run; trying again tomorrow'),
        );
      void deferred.opened.then(maintain);
      const daily = setInterval(() => void maintain(), DAY_MS).unref();
      lifecycle.toDispose(() => clearInterval(daily));
      return {
        ledger: (change) => append({ kind: 'opt-out', ...change }),
        onHeldBack: (held) => append({ kind: 'suppressed', ...held }),
        use: (sendLog) =>
          createHistory({
            store,
            sendLog,
            sendLogTtlMs: config.sendLog.ttlSeconds * 1000,
            cursorKey: settings.erasureKey,
            ...(parts.clock && { clock: parts.clock }),
            onErase: (count) => parts.metrics.historyErased(count),
          }),
      };
    },
  };
}
