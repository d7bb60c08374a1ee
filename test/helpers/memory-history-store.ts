import { createHmac } from 'node:crypto';
import type { OptOutLedgerAction } from '../../src/history/events.js';
import { tenantOfMessage } from '../../src/history/events.js';
import type {
  ErasureResult,
  HistoryQuery,
  HistoryStore,
  LatestOptOut,
  OptOutLedgerEntry,
  StatsBucket,
  StatsQuery,
  WrittenRows,
} from '../../src/history/history-store.js';
import { MAX_OPT_OUT_CHANGES } from '../../src/history/history-store.js';
import type { OutboxEntry } from '../../src/history/outbox.js';
import type { DeliveryState, SentMessage, SentRequest } from '../../src/send/send-log.js';
import { canonicalNumber } from '../../src/suppression/canonical-number.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Page size of latestOptOuts(). */
const LATEST_PAGE = 1_000;

interface StoredMessage {
  message: SentMessage;
  /** Insertion order: the send order within a request. */
  seq: number;
}

interface SuppressedRow {
  readonly tenant: string;
  readonly at: Date;
  readonly smsTemplateId: string;
  readonly campaignId: string | undefined;
  readonly count: number;
}

export interface MemoryHistoryStore extends HistoryStore {
  /** Every stored message of a tenant, newest first (for assertions). */
  all(tenant: string): SentMessage[];
  /** Calls made, by method name (for assertions on what was asked). */
  readonly calls: Array<{ method: string; tenant?: string; args: unknown[] }>;
}

const isFinal = (delivery: DeliveryState | undefined) => delivery !== undefined && delivery.status !== 'SUBMITTED';
const statusOf = (message: SentMessage) => message.delivery?.status ?? 'SUBMITTED';
/** Newest first: submitted at, then message id, both descending (the store's one order). */
const newestFirst = (a: SentMessage, b: SentMessage) =>
  b.submittedAt.getTime() - a.submittedAt.getTime() ||
  (a.messageId < b.messageId ? 1 : a.messageId > b.messageId ? -1 : 0);

/**
 * The HistoryStore port in memory, as faithful as a test needs: tenant-scoped reads, idempotent writes
 * (by entry id and message id), the first final delivery wins, a report may arrive before its send,
 * numbers matched in canonical form, erasure by a keyed hash that also applies to later writes of
 * earlier messages. Stats buckets hold messages (and suppressed counts) in [from, to), ordered by key.
 */
export function createMemoryHistoryStore(options: { erasureKey?: string } = {}): MemoryHistoryStore {
  const erasureKey = options.erasureKey ?? 'memory-history-erasure-key';
  const messages = new Map<string, Map<string, StoredMessage>>(); // tenant -> message id -> message
  const ledger = new Map<string, Map<string, OptOutLedgerEntry[]>>(); // tenant -> number -> changes
  const suppressed: SuppressedRow[] = [];
  const erasures = new Map<string, Map<string, { replacement: string; at: Date }>>(); // tenant -> number -> erasure
  const seenEntries = new Set<string>();
  const calls: MemoryHistoryStore['calls'] = [];
  let seq = 0;

  const of = <V>(map: Map<string, Map<string, V>>, tenant: string): Map<string, V> => {
    let inner = map.get(tenant);
    if (!inner) map.set(tenant, (inner = new Map()));
    return inner;
  };
  const numberOf = (endpoint: string) => canonicalNumber(endpoint) ?? endpoint;
  /** As PostgreSQL's store: `erased:` and the first 32 hex characters of HMAC-SHA256(key, tenant NUL number). */
  const replacementOf = (tenant: string, number: string) => {
    const hash = createHmac('sha256', erasureKey).update(`${tenant}\u0000${number}`).digest('hex');
    return `erased:${hash.slice(0, 32)}`;
  };
  /** A message as stored: its number erased when an erasure of it came after its submission. */
  const stored = (tenant: string, message: SentMessage): SentMessage => {
    const erasure = erasures.get(tenant)?.get(numberOf(message.endpoint));
    return erasure && message.submittedAt.getTime() <= erasure.at.getTime()
      ? { ...message, endpoint: erasure.replacement }
      : message;
  };
  const record = (method: string, tenant: string | undefined, ...args: unknown[]) =>
    calls.push({ method, ...(tenant !== undefined && { tenant }), args });

  const store: MemoryHistoryStore = {
    calls,
    all: (tenant) => [...(messages.get(tenant)?.values() ?? [])].map((row) => row.message).sort(newestFirst),

    async write(entries: readonly OutboxEntry[]): Promise<WrittenRows> {
      const rows = { messages: 0, reports: 0, optOuts: 0, suppressed: 0 };
      for (const { id, event } of entries) {
        if (seenEntries.has(id)) continue;
        seenEntries.add(id);
        switch (event.kind) {
          case 'sent':
            for (const message of event.messages) {
              const tenant = tenantOfMessage(message);
              const tenantMessages = of(messages, tenant);
              const existing = tenantMessages.get(message.messageId);
              if (existing) {
                // The report came first: keep its delivery.
                existing.message = { ...stored(tenant, message), delivery: existing.message.delivery };
                continue;
              }
              tenantMessages.set(message.messageId, { message: stored(tenant, message), seq: seq++ });
              rows.messages += 1;
            }
            break;
          case 'report': {
            const { message } = event;
            const tenant = tenantOfMessage(message);
            const tenantMessages = of(messages, tenant);
            const existing = tenantMessages.get(message.messageId);
            if (!existing) {
              tenantMessages.set(message.messageId, { message: stored(tenant, message), seq: seq++ });
              rows.reports += 1;
            } else if (!isFinal(existing.message.delivery)) {
              existing.message = { ...existing.message, delivery: message.delivery };
              rows.reports += 1;
            }
            break;
          }
          case 'opt-out': {
            const tenantLedger = of(ledger, event.tenant);
            for (const endpoint of event.endpoints) {
              const number = numberOf(endpoint);
              const changes = tenantLedger.get(number) ?? [];
              changes.push({
                action: event.action,
                source: event.source,
                ...(event.reason !== undefined && { reason: event.reason }),
                at: event.at,
                ...(event.by !== undefined && { by: event.by }),
              });
              changes.sort((a, b) => a.at.getTime() - b.at.getTime());
              tenantLedger.set(number, changes);
              rows.optOuts += 1;
            }
            break;
          }
          case 'suppressed':
            suppressed.push({
              tenant: event.tenant,
              at: event.at,
              smsTemplateId: event.smsTemplateId,
              campaignId: event.campaignId,
              count: event.count,
            });
            rows.suppressed += 1;
            break;
        }
      }
      return rows;
    },

    async messages(tenant: string, query: HistoryQuery): Promise<SentMessage[]> {
      record('messages', tenant, query);
      const after = query.after;
      return [...(messages.get(tenant)?.values() ?? [])]
        .map((row) => row.message)
        .filter(
          (message) =>
            (query.endpoint === undefined || numberOf(message.endpoint) === query.endpoint) &&
            (query.requestId === undefined || message.requestId === query.requestId) &&
            (query.campaignId === undefined || message.campaignId === query.campaignId) &&
            (query.smsTemplateId === undefined || message.smsTemplateId === query.smsTemplateId) &&
            (query.statuses === undefined || query.statuses.includes(statusOf(message))) &&
            (query.from === undefined || message.submittedAt.getTime() >= query.from.getTime()) &&
            (query.to === undefined || message.submittedAt.getTime() < query.to.getTime()) &&
            (after === undefined ||
              message.submittedAt.getTime() < after.submittedAt.getTime() ||
              (message.submittedAt.getTime() === after.submittedAt.getTime() && message.messageId < after.messageId)),
        )
        .sort(newestFirst)
        .slice(0, query.limit);
    },

    async findMessages(tenant, messageIds) {
      record('findMessages', tenant, messageIds);
      const tenantMessages = messages.get(tenant);
      return messageIds.map((id) => tenantMessages?.get(id)?.message);
    },

    async findRequest(tenant, requestId): Promise<SentRequest | undefined> {
      record('findRequest', tenant, requestId);
      const rows = [...(messages.get(tenant)?.values() ?? [])]
        .filter((row) => row.message.requestId === requestId)
        .sort((a, b) => a.seq - b.seq);
      const first = rows[0]?.message;
      if (!first) return undefined;
      return {
        requestId,
        submittedAt: first.submittedAt,
        messageIds: rows.map((row) => row.message.messageId),
        ...(first.sentBy && { sentBy: first.sentBy }),
      };
    },

    async stats(tenant: string, query: StatsQuery): Promise<StatsBucket[]> {
      record('stats', tenant, query);
      const inRange = (at: Date) => at.getTime() >= query.from.getTime() && at.getTime() < query.to.getTime();
      const matches = (row: { smsTemplateId: string; campaignId?: string | undefined }) =>
        (query.campaignId === undefined || row.campaignId === query.campaignId) &&
        (query.smsTemplateId === undefined || row.smsTemplateId === query.smsTemplateId);
      const keyOf = (row: { at: Date; smsTemplateId: string; campaignId?: string | undefined }): string => {
        switch (query.groupBy) {
          case 'HOUR':
            return new Date(Math.floor(row.at.getTime() / HOUR_MS) * HOUR_MS).toISOString();
          case 'DAY':
            return new Date(Math.floor(row.at.getTime() / DAY_MS) * DAY_MS).toISOString();
          case 'TEMPLATE':
            return row.smsTemplateId;
          case 'CAMPAIGN':
            return row.campaignId ?? '';
        }
      };
      const buckets = new Map<string, { -readonly [K in keyof StatsBucket]: StatsBucket[K] }>();
      const bucket = (key: string) => {
        let found = buckets.get(key);
        if (!found) {
          found = { key, sent: 0, delivered: 0, undelivered: 0, pending: 0, unknown: 0, suppressed: 0 };
          buckets.set(key, found);
        }
        return found;
      };
      for (const { message } of messages.get(tenant)?.values() ?? []) {
        if (!inRange(message.submittedAt) || !matches(message)) continue;
        const counts = bucket(keyOf({ ...message, at: message.submittedAt }));
        counts.sent += 1;
        const status = statusOf(message);
        if (status === 'DELIVERED') counts.delivered += 1;
        else if (status === 'SUBMITTED') counts.pending += 1;
        else if (status === 'UNKNOWN') counts.unknown += 1;
        else counts.undelivered += 1;
      }
      for (const row of suppressed) {
        if (row.tenant !== tenant || !inRange(row.at) || !matches(row)) continue;
        bucket(keyOf(row)).suppressed += row.count;
      }
      return [...buckets.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },

    async optOutChanges(tenant, endpoint) {
      record('optOutChanges', tenant, endpoint);
      return (ledger.get(tenant)?.get(numberOf(endpoint)) ?? []).slice(-MAX_OPT_OUT_CHANGES);
    },

    async *latestOptOuts(): AsyncIterable<LatestOptOut[]> {
      let page: LatestOptOut[] = [];
      for (const [tenant, numbers] of ledger) {
        for (const [endpoint, changes] of numbers) {
          const latest = changes.at(-1);
          if (latest?.action !== ('ADDED' satisfies OptOutLedgerAction)) continue;
          page.push({
            tenant,
            endpoint,
            record: {
              source: latest.source,
              since: latest.at.toISOString(),
              ...(latest.reason !== undefined && { reason: latest.reason }),
            },
          });
          if (page.length === LATEST_PAGE) {
            yield page;
            page = [];
          }
        }
      }
      if (page.length > 0) yield page;
    },

    async erase(tenant, endpoint, by, at, recentSince): Promise<ErasureResult> {
      record('erase', tenant, endpoint, by, at, recentSince);
      const number = numberOf(endpoint);
      const replacement = replacementOf(tenant, number);
      of(erasures, tenant).set(number, { replacement, at });
      let erasedMessages = 0;
      const recentMessageIds: string[] = [];
      for (const row of messages.get(tenant)?.values() ?? []) {
        if (numberOf(row.message.endpoint) !== number) continue;
        row.message = { ...row.message, endpoint: replacement };
        erasedMessages += 1;
        if (row.message.submittedAt.getTime() >= recentSince.getTime()) recentMessageIds.push(row.message.messageId);
      }
      return { erasedMessages, recentMessageIds, replacement };
    },

    async maintain(now, retentionDays) {
      const cutoff = now.getTime() - retentionDays * DAY_MS;
      for (const tenantMessages of messages.values()) {
        for (const [id, row] of tenantMessages) {
          if (row.message.submittedAt.getTime() < cutoff) tenantMessages.delete(id);
        }
      }
      return { created: [], dropped: [] };
    },

    async close() {},
  };
  return store;
}
