import { createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Logger } from 'pino';
import type { HistoryConfig } from '../config/types.js';
import { tenantOfMessage } from '../history/events.js';
import type {
  ErasedOnArrival,
  ErasureResult,
  HistoryQuery,
  HistoryStore,
  LatestOptOut,
  OptOutLedgerEntry,
  StatsBucket,
  StatsQuery,
  WrittenRows,
} from '../history/history-store.js';
import { MAX_OPT_OUT_CHANGES } from '../history/history-store.js';
import type { OutboxEntry } from '../history/outbox.js';
import type { DeliveryState, DeliveryStatus, SentMessage, SentRequest } from '../send/send-log.js';
import type { OptOutSource } from '../suppression/opt-out-store.js';
import { copyRow } from './copy-text.js';
import { migrate } from './migrate.js';
import { createPartitionSql, monthOf, monthOfPartition, monthStart, partitionName } from './partitions.js';
import { createPool } from './pool.js';

/** Held shared by each write, exclusively by an erasure: an erasure sees every committed write, and writes after it see it. */
const ERASURE_LOCK = 5_861_027_001;
/** Held by the replica doing maintain() (partitions, retention); the others skip. */
const MAINTENANCE_LOCK = 5_861_027_002;
/** Numbers per latestOptOuts() page. */
export const LATEST_OPT_OUTS_PAGE = 5_000;

/** The keyed hash of a tenant's number: the first 32 hex characters of HMAC-SHA256(key, tenant NUL endpoint). */
export function endpointKey(erasureKey: string, tenant: string, endpoint: string): string {
  return createHmac('sha256', erasureKey).update(`${tenant}\u0000${endpoint}`).digest('hex').slice(0, 32);
}

const STAGING_COLUMNS = [
  'kind',
  'ord',
  'tenant',
  'message_id',
  'request_id',
  'seq',
  'endpoint',
  'endpoint_key',
  'template_id',
  'signature_id',
  'extend_code',
  'campaign_id',
  'sent_by',
  'submitted_at',
  'status',
  'carrier_code',
  'reported_at',
  'delivered_at',
] as const;

/** The writer's staging table: a TEMP table (no WAL), one per writer connection, truncated per batch. */
const CREATE_STAGING = `CREATE TEMP TABLE IF NOT EXISTS history_staging (
  kind char(1) NOT NULL, ord int NOT NULL, tenant text NOT NULL, message_id text NOT NULL,
  request_id text NOT NULL, seq int NOT NULL, endpoint text NOT NULL, endpoint_key text NOT NULL,
  template_id text NOT NULL, signature_id text, extend_code text, campaign_id text, sent_by text,
  submitted_at timestamptz NOT NULL, status text NOT NULL, carrier_code text, reported_at timestamptz,
  delivered_at timestamptz)`;

/** The latest erasure of each (tenant, number): a message submitted at or before it arrives erased. */
const ERASED = `LEFT JOIN (SELECT tenant, endpoint_key, max(erased_at) AS erased_at FROM erasures
    GROUP BY tenant, endpoint_key) e
  ON e.tenant = s.tenant AND e.endpoint_key = s.endpoint_key AND e.erased_at >= s.submitted_at`;

const INSERT_SENT = `INSERT INTO messages (tenant, message_id, request_id, seq, endpoint, endpoint_key, template_id,
    signature_id, extend_code, campaign_id, sent_by, submitted_at)
  SELECT s.tenant, s.message_id, s.request_id, s.seq,
    CASE WHEN e.erased_at IS NULL THEN s.endpoint ELSE 'erased:' || s.endpoint_key END,
    CASE WHEN e.erased_at IS NULL THEN s.endpoint_key END,
    s.template_id, s.signature_id, s.extend_code, s.campaign_id, s.sent_by, s.submitted_at
  FROM history_staging s ${ERASED}
  WHERE s.kind = 's'
  ORDER BY s.submitted_at, s.message_id
  ON CONFLICT DO NOTHING`;

/** A report that came first left seq at -1: the sent event gives the message its place in its request. */
const FIX_SEQ = `UPDATE messages m SET seq = s.seq
  FROM history_staging s
  WHERE s.kind = 's' AND m.message_id = s.message_id AND m.submitted_at = s.submitted_at AND m.seq < 0`;

/** Reports: the first final status wins (within the batch: the first in outbox order). */
const UPSERT_REPORTS = `INSERT INTO messages (tenant, message_id, request_id, seq, endpoint, endpoint_key, template_id,
    signature_id, extend_code, campaign_id, sent_by, submitted_at, status, carrier_code, reported_at, delivered_at)
  SELECT DISTINCT ON (s.message_id, s.submitted_at) s.tenant, s.message_id, s.request_id, -1,
    CASE WHEN e.erased_at IS NULL THEN s.endpoint ELSE 'erased:' || s.endpoint_key END,
    CASE WHEN e.erased_at IS NULL THEN s.endpoint_key END,
    s.template_id, s.signature_id, s.extend_code, s.campaign_id, s.sent_by, s.submitted_at,
    s.status, s.carrier_code, s.reported_at, s.delivered_at
  FROM history_staging s ${ERASED}
  WHERE s.kind = 'r'
  ORDER BY s.message_id, s.submitted_at, s.status = 'SUBMITTED', s.ord
  ON CONFLICT (message_id, submitted_at) DO UPDATE SET status = EXCLUDED.status,
    carrier_code = EXCLUDED.carrier_code, reported_at = EXCLUDED.reported_at, delivered_at = EXCLUDED.delivered_at
  WHERE messages.status = 'SUBMITTED' AND EXCLUDED.status <> 'SUBMITTED'`;

/**
 * Staged messages that an earlier erasure covers (they arrived erased): their send-log copies must be
 * masked too. A hash join of the chunk against the (small) erasures table; none when nothing was erased.
 */
const ERASED_ON_ARRIVAL = `SELECT s.message_id, 'erased:' || s.endpoint_key AS replacement
  FROM history_staging s ${ERASED.replace('LEFT JOIN', 'JOIN')}`;

const INSERT_LEDGER = `INSERT INTO opt_out_ledger (event_id, endpoint, tenant, action, source, reason, actor, at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
    $8::timestamptz[])
  ON CONFLICT DO NOTHING`;

const INSERT_SUPPRESSED = `INSERT INTO suppressed_sends (event_id, tenant, at, template_id, campaign_id, count)
  SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::int[])
  ON CONFLICT DO NOTHING`;

const MESSAGE_COLUMNS = `tenant, message_id, request_id, endpoint, template_id, signature_id, extend_code, campaign_id,
  sent_by, submitted_at, status, carrier_code, reported_at, delivered_at`;

interface MessageRow {
  tenant: string;
  message_id: string;
  request_id: string;
  endpoint: string;
  template_id: string;
  signature_id: string | null;
  extend_code: string | null;
  campaign_id: string | null;
  sent_by: string | null;
  submitted_at: Date;
  status: DeliveryStatus;
  carrier_code: string | null;
  reported_at: Date | null;
  delivered_at: Date | null;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

const sentByOf = (sub: string | null, tenant: string): SentMessage['sentBy'] =>
  sub === null ? undefined : tenant === '' ? { sub } : { sub, tenant };

function messageOfRow(row: MessageRow): SentMessage {
  const message: Writable<SentMessage> = {
    messageId: row.message_id,
    endpoint: row.endpoint,
    requestId: row.request_id,
    smsTemplateId: row.template_id,
    submittedAt: row.submitted_at,
  };
  if (row.signature_id !== null) message.signId = row.signature_id;
  if (row.extend_code !== null) message.extendCode = row.extend_code;
  if (row.campaign_id !== null) message.campaignId = row.campaign_id;
  const sentBy = sentByOf(row.sent_by, row.tenant);
  if (sentBy) message.sentBy = sentBy;
  if (row.status !== 'SUBMITTED') {
    const delivery: Writable<DeliveryState> = { status: row.status };
    if (row.carrier_code !== null) delivery.carrierCode = row.carrier_code;
    if (row.reported_at !== null) delivery.reportedAt = row.reported_at;
    if (row.delivered_at !== null) delivery.deliveredAt = row.delivered_at;
    message.delivery = delivery;
  }
  return message;
}

const iso = (date: Date | undefined): string | undefined => date?.toISOString();

/** One message row for the staging table: `s` from a sent event (seq its place), `r` from a report. */
interface StagedRow {
  readonly kind: 's' | 'r';
  readonly message: SentMessage;
  readonly seq: number;
}

/** What one batch carries, ready for the database. */
interface Batch {
  /** The `sent` and `report` messages, in batch order (sent before reports is the statements' order). */
  readonly rows: StagedRow[];
  readonly sent: number;
  readonly reports: number;
  readonly months: Set<number>;
  readonly ledger: {
    ids: string[];
    endpoints: string[];
    tenants: string[];
    actions: string[];
    sources: string[];
    reasons: Array<string | undefined>;
    actors: Array<string | undefined>;
    ats: string[];
  };
  readonly suppressed: {
    ids: string[];
    tenants: string[];
    ats: string[];
    templates: string[];
    campaigns: Array<string | undefined>;
    counts: number[];
  };
}

/** One transaction's share of a batch. */
interface Chunk {
  readonly rows: readonly StagedRow[];
  readonly sent: number;
  readonly reports: number;
  readonly months: ReadonlySet<number>;
  ledger?: Batch['ledger'];
  suppressed?: Batch['suppressed'];
}

/** Rows per COPY piece written to the socket. */
const COPY_CHUNK_ROWS = 2_000;
/** Writer connections, each with a transaction in flight (bench/RESULTS.md, History). */
const WRITER_CONNECTIONS = 2;
/** Sent rows per transaction (bench/RESULTS.md, History). */
const CHUNK_ROWS = 25_000;

export interface PostgresHistoryOptions {
  /** Writer connections with a chunk in flight at once (default 2). */
  readonly writerConnections?: number;
  /** Sent rows per transaction (default 25,000). */
  readonly chunkRows?: number;
}

export async function openPostgresHistory(
  config: HistoryConfig,
  logger: Logger,
  options: PostgresHistoryOptions = {},
): Promise<HistoryStore> {
  const log = logger.child({ component: 'history-postgres' });
  const pool = createPool(config, (error) => log.warn({ err: error }, 'PostgreSQL connection lost (idle)'));
  try {
    const applied = await migrate(pool, log);
    if (applied.length > 0) log.info({ migrations: applied }, 'history migrations applied');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw error;
  }
  const keyOf = (tenant: string, endpoint: string) => endpointKey(config.erasureKey, tenant, endpoint);

  // --- the writer: connections of its own (each with its staging table), the months whose partition exists ---
  const connections = Math.max(1, options.writerConnections ?? WRITER_CONNECTIONS);
  const chunkRows = Math.max(1, options.chunkRows ?? CHUNK_ROWS);
  interface WriterSlot {
    client: pg.PoolClient | undefined;
    broken: boolean;
  }
  const idleSlots: WriterSlot[] = Array.from({ length: connections }, () => ({ client: undefined, broken: false }));
  const allSlots = [...idleSlots];
  const slotWaiters: Array<(slot: WriterSlot) => void> = [];
  const partitions = new Set<number>();
  let writing: Promise<unknown> = Promise.resolve();

  async function writerConnection(slot: WriterSlot): Promise<pg.PoolClient> {
    if (slot.client && !slot.broken) return slot.client;
    if (slot.client) {
      slot.client.release(true);
      slot.client = undefined;
    }
    const client = await pool.connect();
    slot.broken = false;
    client.on('error', (error) => {
      slot.broken = true;
      log.warn({ err: error }, 'history writer connection lost');
    });
    try {
      await client.query(CREATE_STAGING);
    } catch (error) {
      client.release(true);
      throw error;
    }
    slot.client = client;
    return client;
  }

  /** Runs `work` on a writer connection, waiting for one to be free. */
  async function withWriter<T>(work: (client: pg.PoolClient, slot: WriterSlot) => Promise<T>): Promise<T> {
    const slot = idleSlots.pop() ?? (await new Promise<WriterSlot>((resolve) => slotWaiters.push(resolve)));
    try {
      return await work(await writerConnection(slot), slot);
    } finally {
      const next = slotWaiters.shift();
      if (next) next(slot);
      else idleSlots.push(slot);
    }
  }
  async function ensurePartitions(client: pg.PoolClient, months: ReadonlySet<number>): Promise<void> {
    for (const month of months) {
      if (partitions.has(month)) continue;
      try {
        await client.query(createPartitionSql(month));
      } catch (error) {
        // Another replica created it at the same moment: it exists, which is all this wanted.
        const code = (error as { code?: string }).code;
        if (code !== '42P07' && code !== '23505') throw error;
      }
      partitions.add(month);
    }
  }

  function batchOf(entries: readonly OutboxEntry[]): Batch {
    const rows: StagedRow[] = [];
    const months = new Set<number>();
    const ledger: Batch['ledger'] = {
      ids: [],
      endpoints: [],
      tenants: [],
      actions: [],
      sources: [],
      reasons: [],
      actors: [],
      ats: [],
    };
    const suppressed: Batch['suppressed'] = { ids: [], tenants: [], ats: [], templates: [], campaigns: [], counts: [] };
    let sent = 0;
    let reports = 0;
    let lastTime = Number.NaN;
    const stage = (kind: 's' | 'r', message: SentMessage, seq: number) => {
      // The messages of a send share their time: one month lookup per send.
      if (message.submittedAt.getTime() !== lastTime) {
        months.add(monthOf(message.submittedAt));
        lastTime = message.submittedAt.getTime();
      }
      rows.push({ kind, message, seq });
    };
    for (const { id, event } of entries) {
      switch (event.kind) {
        case 'sent':
          event.messages.forEach((message, seq) => stage('s', message, seq));
          sent += event.messages.length;
          break;
        case 'report':
          stage('r', event.message, -1);
          reports += 1;
          break;
        case 'opt-out':
          for (const endpoint of event.endpoints) {
            ledger.ids.push(id);
            ledger.endpoints.push(endpoint);
            ledger.tenants.push(event.tenant);
            ledger.actions.push(event.action);
            ledger.sources.push(event.source);
            ledger.reasons.push(event.reason);
            ledger.actors.push(event.by);
            ledger.ats.push(event.at.toISOString());
          }
          break;
        case 'suppressed':
          suppressed.ids.push(id);
          suppressed.tenants.push(event.tenant);
          suppressed.ats.push(event.at.toISOString());
          suppressed.templates.push(event.smsTemplateId);
          suppressed.campaigns.push(event.campaignId);
          suppressed.counts.push(event.count);
          break;
      }
    }
    return { rows, sent, reports, months, ledger, suppressed };
  }

  /**
   * The staged rows as COPY text, a chunk at a time: made (keyed hash included) while PostgreSQL takes
   * the chunks before, so this process and the server work at once.
   */
  function* copyChunks(rows: readonly StagedRow[]): Generator<string> {
    let chunk = '';
    // A send's messages share their sender and time: worked out once per change.
    let lastSentBy: SentMessage['sentBy'] | null = null;
    let lastTime = Number.NaN;
    let tenant = '';
    let submittedAt = '';
    for (const [ord, { kind, message, seq }] of rows.entries()) {
      if (message.sentBy !== lastSentBy) {
        tenant = tenantOfMessage(message);
        lastSentBy = message.sentBy;
      }
      if (message.submittedAt.getTime() !== lastTime) {
        lastTime = message.submittedAt.getTime();
        submittedAt = message.submittedAt.toISOString();
      }
      const delivery = kind === 'r' ? message.delivery : undefined;
      chunk += copyRow([
        kind,
        ord,
        tenant,
        message.messageId,
        message.requestId,
        seq,
        message.endpoint,
        keyOf(tenant, message.endpoint),
        message.smsTemplateId,
        message.signId,
        message.extendCode,
        message.campaignId,
        message.sentBy?.sub,
        submittedAt,
        delivery?.status ?? 'SUBMITTED',
        delivery?.carrierCode,
        iso(delivery?.reportedAt),
        iso(delivery?.deliveredAt),
      ]);
      if ((ord + 1) % COPY_CHUNK_ROWS === 0) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
  }

  async function copyRows(client: pg.PoolClient, rows: readonly StagedRow[]): Promise<void> {
    const stream = client.query(copyFrom(`COPY history_staging (${STAGING_COLUMNS.join(', ')}) FROM STDIN`));
    await pipeline(Readable.from(copyChunks(rows), { objectMode: false }), stream);
  }

  /**
   * One transaction on one writer connection: COPY the chunk's rows into the staging table, insert them
   * (sent rows, then reports), and the ledger and suppressed counts when the chunk carries them.
   */
  async function writeChunk(chunk: Chunk, erased: ErasedOnArrival[]): Promise<void> {
    await withWriter(async (client, slot) => {
      try {
        await ensurePartitions(client, chunk.months);
        const times: Record<string, number> = {};
        let mark = performance.now();
        const lap = (name: string) => {
          const now = performance.now();
          times[name] = Math.round(now - mark);
          mark = now;
        };
        await client.query('BEGIN');
        await client.query('SELECT pg_advisory_xact_lock_shared($1)', [ERASURE_LOCK]);
        lap('lockMs');
        if (chunk.rows.length > 0) {
          await client.query('TRUNCATE history_staging');
          await copyRows(client, chunk.rows);
          lap('copyMs');
          if (chunk.sent > 0) {
            const inserted = await client.query(INSERT_SENT);
            // Fewer rows than sent: some were there already (a retry, or a report that came first).
            if ((inserted.rowCount ?? 0) < chunk.sent) await client.query(FIX_SEQ);
            lap('sentMs');
          }
          if (chunk.reports > 0) {
            await client.query(UPSERT_REPORTS);
            lap('reportsMs');
          }
          {
            // Cheap when nothing was ever erased: the hash join ends at its empty inner side.
            const found = await client.query<{ message_id: string; replacement: string }>(ERASED_ON_ARRIVAL);
            for (const row of found.rows) erased.push({ messageId: row.message_id, replacement: row.replacement });
          }
        }
        const { ledger, suppressed } = chunk;
        if (ledger && ledger.ids.length > 0) {
          await client.query(INSERT_LEDGER, [
            ledger.ids,
            ledger.endpoints,
            ledger.tenants,
            ledger.actions,
            ledger.sources,
            ledger.reasons,
            ledger.actors,
            ledger.ats,
          ]);
        }
        if (suppressed && suppressed.ids.length > 0) {
          await client.query(INSERT_SUPPRESSED, [
            suppressed.ids,
            suppressed.tenants,
            suppressed.ats,
            suppressed.templates,
            suppressed.campaigns,
            suppressed.counts,
          ]);
        }
        await client.query('COMMIT');
        lap('commitMs');
        log.debug({ rows: chunk.rows.length, ...times }, 'history batch written');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          slot.broken = true;
        });
        throw error;
      }
    });
  }

  /**
   * A batch's transactions: its sent rows in chunks of up to `chunkRows`, written on the writer
   * connections at once (while PostgreSQL inserts one chunk, this process makes the next one's COPY
   * text and sends it on another connection), the ledger and suppressed counts with the first; then its
   * reports in one transaction, after every sent chunk committed (the first final status in outbox order
   * wins, and a report's message is there). The batch is written when all committed; a chunk that
   * failed fails the write (the entries are taken again: each chunk is idempotent).
   */
  function chunksOf(batch: Batch): { sent: Chunk[]; reports: Chunk | undefined } {
    const sentRows = batch.reports === 0 ? batch.rows : batch.rows.filter((row) => row.kind === 's');
    const sent: Chunk[] = [];
    for (let first = 0; first < sentRows.length; first += chunkRows) {
      const rows = sentRows.slice(first, first + chunkRows);
      sent.push({ rows, sent: rows.length, reports: 0, months: batch.months });
    }
    const extra = { ledger: batch.ledger, suppressed: batch.suppressed };
    const reportRows = batch.sent === 0 ? batch.rows : batch.rows.filter((row) => row.kind === 'r');
    let reports: Chunk | undefined;
    if (reportRows.length > 0)
      reports = { rows: reportRows, sent: 0, reports: reportRows.length, months: batch.months };
    if (sent[0]) Object.assign(sent[0], extra);
    else if (reports) Object.assign(reports, extra);
    else sent.push({ rows: [], sent: 0, reports: 0, months: new Set(), ...extra });
    return { sent, reports };
  }

  async function writeOnce(batch: Batch, erased: ErasedOnArrival[]): Promise<void> {
    const { sent, reports } = chunksOf(batch);
    // Every chunk settles before the write does: nothing is left running when it fails.
    const settled = await Promise.allSettled(sent.map((chunk) => writeChunk(chunk, erased)));
    const failure = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
    if (reports) await writeChunk(reports, erased);
  }

  async function writeBatch(entries: readonly OutboxEntry[]): Promise<WrittenRows> {
    const batch = batchOf(entries);
    let erased: ErasedOnArrival[] = [];
    try {
      await writeOnce(batch, erased);
    } catch (error) {
      // "no partition of relation found for row": another replica's retention dropped a month this one
      // still thought was there. Forget what it knew and try once more.
      if ((error as { code?: string }).code !== '23514') throw error;
      partitions.clear();
      erased = [];
      await writeOnce(batch, erased);
    }
    return {
      messages: batch.sent,
      reports: batch.reports,
      optOuts: batch.ledger.ids.length,
      suppressed: batch.suppressed.ids.length,
      ...(erased.length > 0 && { erasedOnArrival: erased }),
    };
  }

  // --- reads ---

  async function messages(tenant: string, query: HistoryQuery): Promise<SentMessage[]> {
    const values: unknown[] = [tenant];
    const where = ['tenant = $1'];
    const add = (condition: (parameter: string) => string, value: unknown) => {
      values.push(value);
      where.push(condition(`$${values.length}`));
    };
    if (query.endpoint !== undefined) add((p) => `endpoint_key = ${p}`, keyOf(tenant, query.endpoint));
    if (query.requestId !== undefined) add((p) => `request_id = ${p}`, query.requestId);
    if (query.campaignId !== undefined) add((p) => `campaign_id = ${p}`, query.campaignId);
    if (query.smsTemplateId !== undefined) add((p) => `template_id = ${p}`, query.smsTemplateId);
    if (query.statuses !== undefined) add((p) => `status = ANY(${p}::text[])`, [...query.statuses]);
    if (query.from !== undefined) add((p) => `submitted_at >= ${p}`, query.from);
    if (query.to !== undefined) add((p) => `submitted_at < ${p}`, query.to);
    if (query.after !== undefined) {
      values.push(query.after.submittedAt, query.after.messageId);
      where.push(`(submitted_at, message_id) < ($${values.length - 1}, $${values.length})`);
    }
    values.push(query.limit);
    const { rows } = await pool.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE ${where.join(' AND ')}
       ORDER BY submitted_at DESC, message_id DESC LIMIT $${values.length}`,
      values,
    );
    return rows.map(messageOfRow);
  }

  async function findMessages(tenant: string, ids: readonly string[]): Promise<Array<SentMessage | undefined>> {
    if (ids.length === 0) return [];
    const { rows } = await pool.query<MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM messages WHERE tenant = $1 AND message_id = ANY($2::text[])`,
      [tenant, [...new Set(ids)]],
    );
    const byId = new Map(rows.map((row) => [row.message_id, messageOfRow(row)]));
    return ids.map((id) => byId.get(id));
  }

  async function findRequest(tenant: string, requestId: string): Promise<SentRequest | undefined> {
    const { rows } = await pool.query<{ message_id: string; submitted_at: Date; sent_by: string | null }>(
      `SELECT message_id, submitted_at, sent_by FROM messages WHERE tenant = $1 AND request_id = $2
       ORDER BY seq, message_id`,
      [tenant, requestId],
    );
    const first = rows[0];
    if (!first) return undefined;
    const submittedAt = rows.reduce(
      (earliest, row) => (row.submitted_at < earliest ? row.submitted_at : earliest),
      first.submitted_at,
    );
    const request: Writable<SentRequest> = { requestId, submittedAt, messageIds: rows.map((row) => row.message_id) };
    const sentBy = sentByOf(first.sent_by, tenant);
    if (sentBy) request.sentBy = sentBy;
    return request;
  }

  async function stats(tenant: string, query: StatsQuery): Promise<StatsBucket[]> {
    const keys = {
      HOUR: (time: string) => `date_trunc('hour', ${time}, 'UTC')`,
      DAY: (time: string) => `date_trunc('day', ${time}, 'UTC')`,
      TEMPLATE: () => 'template_id',
      CAMPAIGN: () => `coalesce(campaign_id, '')`,
    } as const;
    const key = keys[query.groupBy];
    const values: unknown[] = [tenant, query.from, query.to];
    const filters: string[] = [];
    if (query.campaignId !== undefined) {
      values.push(query.campaignId);
      filters.push(`AND campaign_id = $${values.length}`);
    }
    if (query.smsTemplateId !== undefined) {
      values.push(query.smsTemplateId);
      filters.push(`AND template_id = $${values.length}`);
    }
    const { rows } = await pool.query<{
      key: Date | string;
      sent: string | null;
      delivered: string | null;
      undelivered: string | null;
      pending: string | null;
      unknown: string | null;
      suppressed: string | null;
    }>(
      `WITH m AS (
         SELECT ${key('submitted_at')} AS key, count(*) AS sent,
           count(*) FILTER (WHERE status = 'DELIVERED') AS delivered,
           count(*) FILTER (WHERE status IN ('FAILED', 'EXPIRED', 'REJECTED')) AS undelivered,
           count(*) FILTER (WHERE status = 'SUBMITTED') AS pending,
           count(*) FILTER (WHERE status = 'UNKNOWN') AS unknown
         FROM messages WHERE tenant = $1 AND submitted_at >= $2 AND submitted_at < $3 ${filters.join(' ')}
         GROUP BY 1),
       h AS (
         SELECT ${key('at')} AS key, sum(count) AS suppressed
         FROM suppressed_sends WHERE tenant = $1 AND at >= $2 AND at < $3 ${filters.join(' ')}
         GROUP BY 1)
       SELECT coalesce(m.key, h.key) AS key, m.sent, m.delivered, m.undelivered, m.pending, m.unknown, h.suppressed
       FROM m FULL JOIN h ON m.key = h.key`,
      values,
    );
    const count = (value: string | null) => (value === null ? 0 : Number(value));
    return rows
      .map((row) => ({
        key: row.key instanceof Date ? row.key.toISOString() : row.key,
        sent: count(row.sent),
        delivered: count(row.delivered),
        undelivered: count(row.undelivered),
        pending: count(row.pending),
        unknown: count(row.unknown),
        suppressed: count(row.suppressed),
      }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async function optOutChanges(tenant: string, endpoint: string): Promise<OptOutLedgerEntry[]> {
    const { rows } = await pool.query<{
      action: OptOutLedgerEntry['action'];
      source: OptOutSource;
      reason: string | null;
      at: Date;
      actor: string | null;
    }>(
      `SELECT action, source, reason, at, actor FROM (
         SELECT action, source, reason, at, actor, event_id FROM opt_out_ledger WHERE tenant = $1 AND endpoint = $2
         ORDER BY at DESC, event_id DESC LIMIT $3
       ) latest ORDER BY at, event_id`,
      [tenant, endpoint, MAX_OPT_OUT_CHANGES],
    );
    return rows.map((row) => {
      const entry: Writable<OptOutLedgerEntry> = { action: row.action, source: row.source, at: row.at };
      if (row.reason !== null) entry.reason = row.reason;
      if (row.actor !== null) entry.by = row.actor;
      return entry;
    });
  }

  async function* latestOptOuts(): AsyncIterable<LatestOptOut[]> {
    // Keyset over (tenant, endpoint), walked backwards so the ledger's index gives every row in order.
    let after: [string, string] | undefined;
    for (;;) {
      const { rows } = await pool.query<{
        tenant: string;
        endpoint: string;
        action: string;
        source: OptOutSource;
        reason: string | null;
        at: Date;
      }>(
        `SELECT DISTINCT ON (tenant, endpoint) tenant, endpoint, action, source, reason, at
         FROM opt_out_ledger ${after ? 'WHERE (tenant, endpoint) < ($2, $3)' : ''}
         ORDER BY tenant DESC, endpoint DESC, at DESC, event_id DESC LIMIT $1`,
        after ? [LATEST_OPT_OUTS_PAGE, ...after] : [LATEST_OPT_OUTS_PAGE],
      );
      const page: LatestOptOut[] = [];
      for (const row of rows) {
        if (row.action !== 'ADDED') continue;
        const record: Writable<LatestOptOut['record']> = { source: row.source, since: row.at.toISOString() };
        if (row.reason !== null) record.reason = row.reason;
        page.push({ tenant: row.tenant, endpoint: row.endpoint, record });
      }
      if (page.length > 0) yield page;
      const last = rows[rows.length - 1];
      if (!last || rows.length < LATEST_OPT_OUTS_PAGE) return;
      after = [last.tenant, last.endpoint];
    }
  }

  async function erase(
    tenant: string,
    endpoint: string,
    by: string,
    at: Date,
    recentSince: Date,
  ): Promise<ErasureResult> {
    const key = keyOf(tenant, endpoint);
    const replacement = `erased:${key}`;
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // Waits for the writes in flight; the writes after this commit see the erasure.
      await client.query('SELECT pg_advisory_xact_lock($1)', [ERASURE_LOCK]);
      const { rows } = await client.query<{ message_id: string; submitted_at: Date }>(
        `UPDATE messages SET endpoint = $3, endpoint_key = NULL WHERE tenant = $1 AND endpoint_key = $2
         RETURNING message_id, submitted_at`,
        [tenant, key, replacement],
      );
      await client.query(
        `INSERT INTO erasures (tenant, endpoint_key, erased_at, erased_by, erased_messages)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [tenant, key, at, by, rows.length],
      );
      await client.query('COMMIT');
      return {
        erasedMessages: rows.length,
        recentMessageIds: rows.filter((row) => row.submitted_at >= recentSince).map((row) => row.message_id),
        replacement,
      };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async function maintain(now: Date, retentionDays: number): Promise<{ created: string[]; dropped: string[] }> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const { rows: lock } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS locked', [
        MAINTENANCE_LOCK,
      ]);
      if (!lock[0]?.locked) {
        await client.query('ROLLBACK');
        return { created: [], dropped: [] };
      }
      const { rows } = await client.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'messages'::regclass`,
      );
      const existing = new Set(rows.map((row) => row.name));
      const created: string[] = [];
      const current = monthOf(now);
      for (let month = current - 1; month <= current + 2; month += 1) {
        if (existing.has(partitionName(month))) continue;
        await client.query(createPartitionSql(month));
        created.push(partitionName(month));
      }
      const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
      const dropped: string[] = [];
      for (const name of [...existing].sort()) {
        const month = monthOfPartition(name);
        if (month === undefined || monthStart(month + 1) > cutoff) continue;
        await client.query(`DROP TABLE ${name}`);
        dropped.push(name);
      }
      await client.query('DELETE FROM suppressed_sends WHERE at < $1', [cutoff]);
      await client.query('COMMIT');
      for (const name of dropped) partitions.delete(monthOfPartition(name)!);
      return { created, dropped };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    write(entries) {
      const result = writing.then(() => writeBatch(entries));
      writing = result.catch(() => undefined);
      return result;
    },
    messages,
    findMessages,
    findRequest,
    stats,
    optOutChanges,
    latestOptOuts,
    erase,
    maintain,
    async close() {
      await writing;
      for (const slot of allSlots) {
        slot.client?.release(slot.broken);
        slot.client = undefined;
      }
      await pool.end();
    },
  };
}
