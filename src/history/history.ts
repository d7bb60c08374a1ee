import type { Logger } from 'pino';
import { tenantOf, type Caller } from '../auth/caller.js';
import { ErrorCode } from '../error-codes.js';
import { bounded } from '../observability/bounded.js';
import type { SentMessage } from '../send/send-log.js';
import { canonicalNumber } from '../suppression/canonical-number.js';
import { systemClock, type Clock } from '../util/clock.js';
import { historyCursors } from './cursor.js';
import type { HistoryFilter, HistoryStore, OptOutLedgerEntry, StatsBucket, StatsQuery } from './history-store.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The longest range smsHistory takes as its only filter. */
export const MAX_HISTORY_RANGE_DAYS = 31;
/** The longest range smsStats takes, and with HOUR grouping. */
export const MAX_STATS_RANGE_DAYS = 366;
export const MAX_HOURLY_STATS_RANGE_DAYS = 31;
/** Most messages one smsHistory page holds. */
export const MAX_HISTORY_PAGE = 500;
/** Longest request, campaign or template id a filter takes. */
const MAX_ID_LENGTH = 256;

/** What the history answers when it is not configured: every history field, every call. */
export class HistoryDisabled extends Error {
  readonly code = ErrorCode.HISTORY_DISABLED;
  constructor() {
    super('history is not enabled: set HISTORY_DATABASE_URL');
    this.name = 'HistoryDisabled';
  }
}

/** An input the caller must change (answered BAD_USER_INPUT naming `field`); nothing was read or erased. */
export class HistoryRefusal extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'HistoryRefusal';
  }
}

/** smsHistory's filter, as the caller gave it (numbers in any spelling the API takes). */
export interface MessagesQuery extends HistoryFilter {
  /** 1 to MAX_HISTORY_PAGE. */
  readonly first: number;
  /** A cursor this use case gave (`endCursor` or an edge's). */
  readonly after?: string | undefined;
}

export interface MessagesPage {
  readonly edges: ReadonlyArray<{ readonly cursor: string; readonly node: SentMessage }>;
  readonly hasNextPage: boolean;
  /** The last edge's cursor; the cursor given when the page is empty. */
  readonly endCursor: string | undefined;
}

/** smsStats' arguments: the store's query as it is. */
export type StatsRequest = StatsQuery;

export interface StatsRow extends StatsBucket {
  /** delivered / (delivered + undelivered); null when both are 0. */
  readonly deliveryRate: number | null;
}

export interface HistoryOptions {
  /** The history in PostgreSQL; undefined when HISTORY_DATABASE_URL is unset (every call: HistoryDisabled). */
  readonly store: HistoryStore | undefined;
  /** The send log, where an erased number must also be masked while its messages are kept there. */
  readonly sendLog: {
    /** SendLog.maskEndpoint: replaces the number of these messages, where still kept; how many it changed. */
    maskEndpoint(messageIds: readonly string[], replacement: string): Promise<number>;
  };
  /** SEND_LOG_TTL_SECONDS (in ms here): how long a message may still be in the send log after its submission. */
  readonly sendLogTtlMs: number;
  /** The secret cursors are signed with (a key of its own is derived from it); the same on every replica. */
  readonly cursorKey: string | Buffer;
  readonly clock?: Clock;
  /** Told of every erasure with the number of messages erased, for metrics. */
  readonly onErase?: (erasedMessages: number) => void;
}

/** The read and erase use cases over the history, every one scoped to the caller's tenant. */
export interface History {
  /** False when there is no store: every method then throws HistoryDisabled. */
  readonly enabled: boolean;
  messages(caller: Caller, query: MessagesQuery): Promise<MessagesPage>;
  stats(caller: Caller, query: StatsRequest): Promise<StatsRow[]>;
  optOutChanges(caller: Caller, endpoint: string): Promise<OptOutLedgerEntry[]>;
  erase(caller: Caller, endpoint: string, logger: Logger): Promise<{ erasedMessages: number }>;
}

function idFilter(field: string, value: string | undefined): string | undefined {
  if (value !== undefined && (value.length < 1 || value.length > MAX_ID_LENGTH)) {
    throw new HistoryRefusal(field, `must be 1 to ${MAX_ID_LENGTH} characters`);
  }
  return value;
}

/** The canonical number, or a refusal naming `field` (the API edge checks the same rules first). */
function numberOf(field: string, endpoint: string): string {
  const number = endpoint.length <= 32 ? canonicalNumber(endpoint) : undefined;
  if (number === undefined) {
    throw new HistoryRefusal(
      field,
      'must be a phone number: "+" then country code and number (E.164), or a China mobile number without "+86"',
    );
  }
  return number;
}

function validRange(field: string, from: Date, to: Date): void {
  if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) throw new HistoryRefusal(field, 'must be a time');
  if (from.getTime() >= to.getTime()) throw new HistoryRefusal(`${field}from`, `must be before ${field}to`);
}

const days = (from: Date, to: Date) => (to.getTime() - from.getTime()) / DAY_MS;

/** delivered / (delivered + undelivered): what reached phones among messages whose fate is known. */
export function deliveryRate(bucket: Pick<StatsBucket, 'delivered' | 'undelivered'>): number | null {
  const settled = bucket.delivered + bucket.undelivered;
  return settled === 0 ? null : bucket.delivered / settled;
}

/**
 * The send history as callers use it (issue 27): messages by filter, newest first and paged by signed
 * cursors; counts per hour, day, template or campaign; a number's opt-out changes; and the right to
 * erasure. Every read takes the caller's tenant: another tenant's data answers exactly like none.
 */
export function createHistory(options: HistoryOptions): History {
  const { store } = options;
  const now = () => (options.clock ?? systemClock).now();
  const cursors = historyCursors(options.cursorKey);
  const open = (): HistoryStore => {
    if (!store) throw new HistoryDisabled();
    return store;
  };

  return {
    enabled: store !== undefined,

    async messages(caller, query) {
      const history = open();
      const tenant = tenantOf(caller);
      if (!Number.isInteger(query.first) || query.first < 1 || query.first > MAX_HISTORY_PAGE) {
        throw new HistoryRefusal('first', `must be 1 to ${MAX_HISTORY_PAGE}`);
      }
      const endpoint = query.endpoint === undefined ? undefined : numberOf('filter.endpoint', query.endpoint);
      const requestId = idFilter('filter.requestId', query.requestId);
      const campaignId = idFilter('filter.campaignId', query.campaignId);
      const smsTemplateId = idFilter('filter.smsTemplateId', query.smsTemplateId);
      const { from, to } = query;
      if (from && to) validRange('filter.', from, to);
      const boundedRange = from !== undefined && to !== undefined && days(from, to) <= MAX_HISTORY_RANGE_DAYS;
      if (endpoint === undefined && requestId === undefined && campaignId === undefined && !boundedRange) {
        throw new HistoryRefusal(
          'filter',
          `needs endpoint, requestId, campaignId, or from and to at most ${MAX_HISTORY_RANGE_DAYS} days apart`,
        );
      }
      if (query.statuses?.length === 0) {
        throw new HistoryRefusal('filter.status', 'must list at least one status, or be left out');
      }
      let after;
      if (query.after !== undefined) {
        after = cursors.decode(tenant, query.after);
        if (!after) throw new HistoryRefusal('after', 'is not a cursor this field gave');
      }
      const rows = await history.messages(tenant, {
        endpoint,
        requestId,
        campaignId,
        smsTemplateId,
        statuses: query.statuses && [...new Set(query.statuses)],
        from,
        to,
        after,
        // One more than asked: whether another page follows, without counting.
        limit: query.first + 1,
      });
      const edges = rows.slice(0, query.first).map((node) => ({ cursor: cursors.encode(tenant, node), node }));
      return {
        edges,
        hasNextPage: rows.length > query.first,
        endCursor: edges.at(-1)?.cursor ?? query.after,
      };
    },

    async stats(caller, query) {
      const history = open();
      validRange('', query.from, query.to);
      const range = days(query.from, query.to);
      if (range > MAX_STATS_RANGE_DAYS) {
        throw new HistoryRefusal('to', `must be at most ${MAX_STATS_RANGE_DAYS} days after from`);
      }
      if (query.groupBy === 'HOUR' && range > MAX_HOURLY_STATS_RANGE_DAYS) {
        throw new HistoryRefusal('groupBy', `HOUR takes at most ${MAX_HOURLY_STATS_RANGE_DAYS} days from from to to`);
      }
      const buckets = await history.stats(tenantOf(caller), {
        from: query.from,
        to: query.to,
        groupBy: query.groupBy,
        campaignId: idFilter('filter.campaignId', query.campaignId),
        smsTemplateId: idFilter('filter.smsTemplateId', query.smsTemplateId),
      });
      return buckets.map((bucket) => ({ ...bucket, deliveryRate: deliveryRate(bucket) }));
    },

    async optOutChanges(caller, endpoint) {
      const history = open();
      return history.optOutChanges(tenantOf(caller), numberOf('endpoint', endpoint));
    },

    async erase(caller, endpoint, logger) {
      const history = open();
      const number = numberOf('endpoint', endpoint);
      const at = now();
      const result = await history.erase(
        tenantOf(caller),
        number,
        caller.sub,
        at,
        new Date(at.getTime() - options.sendLogTtlMs),
      );
      // The number is never logged, not even masked: the whole point is that it is gone.
      let masked = 0;
      if (result.recentMessageIds.length > 0) {
        try {
          masked = await options.sendLog.maskEndpoint(result.recentMessageIds, result.replacement);
        } catch (error) {
          logger.error(
            { err: error, action: 'erase', by: bounded(caller.sub), erasedMessages: result.erasedMessages },
            'history erased, but masking the number in the send log failed: it stays there until SEND_LOG_TTL_SECONDS',
          );
          throw error;
        }
      }
      options.onErase?.(result.erasedMessages);
      logger.info(
        { action: 'erase', by: bounded(caller.sub), erasedMessages: result.erasedMessages, maskedInSendLog: masked },
        'number erased from the history',
      );
      return { erasedMessages: result.erasedMessages };
    },
  };
}

const off = (): Promise<never> => Promise.reject(new HistoryDisabled());

/** The history of a deployment without one (HISTORY_DATABASE_URL unset): every call is HistoryDisabled. */
export const HISTORY_OFF: History = Object.freeze({
  enabled: false,
  messages: off,
  stats: off,
  optOutChanges: off,
  erase: off,
});
