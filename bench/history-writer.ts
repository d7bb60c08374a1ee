// Part of `npm run bench`: how fast the PostgreSQL history writer takes message rows, end to end. A
// fresh database (POSTGRES_URL's server, default 127.0.0.1:5432); a 1,000,000-recipient campaign's
// sends (1000 outbox entries of 1000 messages each) appended to the in-process outbox, then drained by
// the writer as the service runs it (startHistoryWriter: take 200 entries, write, acknowledge), timed
// from the start of the writer until the outbox is empty; then the on-disk size of what was written and
// the WAL it took; then the same campaign's delivery reports (one entry per message, 2000 per write).
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import pino from 'pino';
import type { HistoryEvent } from '../src/history/events.js';
import type { HistoryStore } from '../src/history/history-store.js';
import { startHistoryWriter } from '../src/history/history-writer.js';
import { openPostgresHistory } from '../src/postgres/postgres-history-store.js';
import type { SentMessage } from '../src/send/send-log.js';
import { createMemoryHistoryOutbox } from '../src/state/memory-history-outbox.js';
import { createTestDatabase, historyConfig } from '../test/helpers/postgres.js';
import { writeResults } from './lib/results.js';

const ROWS = Number(process.env.BENCH_HISTORY_ROWS ?? 1_000_000);
const ENTRIES_PER_BATCH = Number(process.env.BENCH_HISTORY_BATCH ?? 200);
const MESSAGES_PER_SEND = 1_000;
const REPORT_ROWS = Number(process.env.BENCH_HISTORY_REPORTS ?? 200_000);
/** Write the table into bench/RESULTS.md (the `history` section). */
const RECORD = process.env.BENCH_HISTORY_RECORD !== '0';

function send(index: number, at: Date): SentMessage[] {
  const requestId = randomUUID();
  return Array.from({ length: MESSAGES_PER_SEND }, (_, position) => ({
    messageId: `${requestId.slice(0, 8)}-${index}-${position}`,
    endpoint: `+86138${String(index * MESSAGES_PER_SEND + position).padStart(8, '0')}`,
    requestId,
    smsTemplateId: 'tpl-promo-2026',
    signId: 'sig-1',
    campaignId: 'campaign-bench',
    submittedAt: at,
    sentBy: { sub: 'bench-operator', tenant: 'bench' },
  }));
}

/** Drains `events` through the writer on an in-process outbox: seconds until all are acknowledged, and each write's. */
async function drain(store: HistoryStore, events: HistoryEvent[], batchEntries: number) {
  const outbox = createMemoryHistoryOutbox({ maxEntries: events.length + 1 });
  await outbox.append(events);
  const writes: number[] = [];
  const timed: HistoryStore = {
    ...store,
    async write(entries) {
      const began = performance.now();
      const rows = await store.write(entries);
      writes.push(performance.now() - began);
      return rows;
    },
  };
  let rows = 0;
  const began = performance.now();
  const writer = startHistoryWriter({
    outbox,
    store: timed,
    logger: pino({ level: 'silent' }),
    batchEntries,
    onRows: (_kind, count) => void (rows += count),
    onFailure: (cause, stage) => console.error(`history writer failed (${stage}): ${cause}`),
    blockMs: 50,
  });
  while ((await outbox.stats()).entries > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  const seconds = (performance.now() - began) / 1000;
  await writer.stop();
  outbox.close();
  return { seconds, rows, writes };
}

const mb = (bytes: number) => bytes / 1024 / 1024;

const database = await createTestDatabase();
const options = {
  ...(process.env.BENCH_HISTORY_CONNECTIONS && { writerConnections: Number(process.env.BENCH_HISTORY_CONNECTIONS) }),
  ...(process.env.BENCH_HISTORY_CHUNK && { chunkRows: Number(process.env.BENCH_HISTORY_CHUNK) }),
};
const store = await openPostgresHistory(
  historyConfig(database.url),
  pino({ level: process.env.BENCH_HISTORY_DEBUG ? 'debug' : 'silent' }),
  options,
);
const admin = new pg.Client({ connectionString: database.url });
await admin.connect();
try {
  const sends = Math.ceil(ROWS / MESSAGES_PER_SEND);
  const start = Date.parse('2026-12-05T08:00:00Z');
  const all: SentMessage[][] = [];
  const events: HistoryEvent[] = [];
  for (let index = 0; index < sends; index += 1) {
    const messages = send(index, new Date(start + index * 100));
    if (all.length * MESSAGES_PER_SEND < REPORT_ROWS) all.push(messages);
    events.push({ kind: 'sent', messages });
  }
  // The month partition first, so the WAL below is the rows' alone.
  await store.maintain(new Date(start), 180);
  await admin.query('CHECKPOINT');
  const walBefore = (await admin.query<{ lsn: string }>('SELECT pg_current_wal_lsn() AS lsn')).rows[0]!.lsn;
  const sent = await drain(store, events, ENTRIES_PER_BATCH);
  const wal = (
    await admin.query<{ bytes: string }>('SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS bytes', [walBefore])
  ).rows[0]!.bytes;
  const { rows: sizes } = await admin.query<{ heap: string; indexes: string; total: string }>(
    `SELECT sum(pg_table_size(c.oid)) AS heap, sum(pg_indexes_size(c.oid)) AS indexes,
       sum(pg_total_relation_size(c.oid)) AS total
     FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'messages'::regclass`,
  );
  // Each of the parent's indexes, summed over its partitions' indexes.
  const { rows: perIndex } = await admin.query<{ name: string; bytes: string }>(
    `SELECT p.relname AS name, sum(pg_relation_size(ic.oid)) AS bytes
     FROM pg_inherits i JOIN pg_class ic ON ic.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname IN (SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'messages'::regclass)
     GROUP BY p.relname ORDER BY p.relname`,
  );
  const perMillion = 1_000_000 / sent.rows;
  const size = sizes[0]!;

  // Delivery reports: one outbox entry per message, as SMN reports them.
  const reports = all
    .flat()
    .slice(0, REPORT_ROWS)
    .map((message): HistoryEvent => ({
      kind: 'report',
      message: { ...message, delivery: { status: 'DELIVERED', carrierCode: 'DELIVRD', reportedAt: new Date() } },
    }));
  const reported = reports.length > 0 ? await drain(store, reports, ENTRIES_PER_BATCH * 10) : undefined;

  const writeTimes = sent.writes.map((ms) => `${(ms / 1000).toFixed(2)}`).join(', ');
  const lines = [
    `${new Date().toISOString().slice(0, 10)}, local PostgreSQL ${(await admin.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v}, ` +
      `the store's defaults${Object.keys(options).length > 0 ? ` overridden by ${JSON.stringify(options)}` : ''}; ` +
      `${sent.rows.toLocaleString('en')} message rows appended to the in-process outbox, then drained by the writer ` +
      `(${ENTRIES_PER_BATCH} entries of ${MESSAGES_PER_SEND} messages per write).`,
    '',
    '| measure | value |',
    '| --- | --- |',
    `| message rows per second, writer start → outbox empty | ${Math.round(sent.rows / sent.seconds).toLocaleString('en')} |`,
    `| a 1,000,000-recipient campaign fully in history | ${(sent.seconds * perMillion).toFixed(1)} s |`,
    `| each write (s) | ${writeTimes} |`,
    `| per 1,000,000 messages: table (heap) | ${mb(Number(size.heap) * perMillion).toFixed(0)} MB |`,
    `| per 1,000,000 messages: indexes | ${mb(Number(size.indexes) * perMillion).toFixed(0)} MB (${perIndex
      .map((index) => `${index.name} ${mb(Number(index.bytes) * perMillion).toFixed(0)}`)
      .join(', ')}) |`,
    `| per 1,000,000 messages: WAL written | ${mb(Number(wal) * perMillion).toFixed(0)} MB (the server's, other databases included) |`,
  ];
  if (reported) {
    lines.push(
      `| delivery reports per second (${reported.rows.toLocaleString('en')}, ${ENTRIES_PER_BATCH * 10} per write) | ${Math.round(reported.rows / reported.seconds).toLocaleString('en')} |`,
    );
  }
  const table = lines.join('\n');
  console.log(table);
  if (RECORD) await writeResults('history', table, 'History');
} finally {
  await admin.end();
  await store.close();
  await database.drop();
}
