// Part of `npm run bench`: how fast the PostgreSQL history writer takes message rows. A fresh database
// (POSTGRES_URL's server, default 127.0.0.1:5432), batches of 200 outbox entries of 1000 messages each
// (a campaign's sends), 1,000,000 rows in all, written one batch after another as the writer does; then
// the same campaign's delivery reports (one entry per message, 200 per batch, as they arrive).
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { HistoryEvent } from '../src/history/events.js';
import type { OutboxEntry } from '../src/history/outbox.js';
import { openPostgresHistory } from '../src/postgres/postgres-history-store.js';
import type { SentMessage } from '../src/send/send-log.js';
import { createTestDatabase, historyConfig } from '../test/helpers/postgres.js';

const ROWS = Number(process.env.BENCH_HISTORY_ROWS ?? 1_000_000);
const ENTRIES_PER_BATCH = 200;
const MESSAGES_PER_SEND = 1_000;
const REPORT_ROWS = Number(process.env.BENCH_HISTORY_REPORTS ?? 200_000);

let entryId = 0;
const entry = (event: HistoryEvent): OutboxEntry => ({
  id: `${Date.now()}-${entryId++}`,
  event,
  appendedAt: Date.now(),
});

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

const database = await createTestDatabase();
const store = await openPostgresHistory(
  historyConfig(database.url),
  pino({ level: process.env.BENCH_HISTORY_DEBUG ? 'debug' : 'silent' }),
);
try {
  const sends = Math.ceil(ROWS / MESSAGES_PER_SEND);
  const start = Date.parse('2026-12-05T08:00:00Z');
  const all: SentMessage[][] = [];
  const batchTimes: number[] = [];
  let written = 0;
  const began = performance.now();
  for (let first = 0; first < sends; first += ENTRIES_PER_BATCH) {
    const batch: OutboxEntry[] = [];
    for (let index = first; index < Math.min(first + ENTRIES_PER_BATCH, sends); index += 1) {
      const messages = send(index, new Date(start + index * 100));
      if (all.length * MESSAGES_PER_SEND < REPORT_ROWS) all.push(messages);
      batch.push(entry({ kind: 'sent', messages }));
    }
    const started = performance.now();
    written += (await store.write(batch)).messages;
    batchTimes.push(performance.now() - started);
  }
  const seconds = (performance.now() - began) / 1000;
  const writeSeconds = batchTimes.reduce((a, b) => a + b, 0) / 1000;
  console.log(
    `history writer, sent: ${written.toLocaleString('en')} message rows in ${seconds.toFixed(1)} s ` +
      `(${Math.round(written / seconds).toLocaleString('en')} rows/s overall, ` +
      `${Math.round(written / writeSeconds).toLocaleString('en')} rows/s inside write()); ` +
      `batches of ${ENTRIES_PER_BATCH} x ${MESSAGES_PER_SEND}: ` +
      batchTimes.map((ms) => `${(ms / 1000).toFixed(2)} s`).join(', '),
  );
  console.log(
    `a 1,000,000-recipient campaign's rows fully written in ${((1_000_000 / written) * seconds).toFixed(1)} s`,
  );

  // Delivery reports: one outbox entry per message, as SMN reports them.
  const reports = all.flat().slice(0, REPORT_ROWS);
  const reportBegan = performance.now();
  for (let first = 0; first < reports.length; first += ENTRIES_PER_BATCH * 10) {
    const batch = reports.slice(first, first + ENTRIES_PER_BATCH * 10).map((message) =>
      entry({
        kind: 'report',
        message: { ...message, delivery: { status: 'DELIVERED', carrierCode: 'DELIVRD', reportedAt: new Date() } },
      }),
    );
    await store.write(batch);
  }
  const reportSeconds = (performance.now() - reportBegan) / 1000;
  console.log(
    `history writer, reports: ${reports.length.toLocaleString('en')} in ${reportSeconds.toFixed(1)} s ` +
      `(${Math.round(reports.length / reportSeconds).toLocaleString('en')} rows/s, ${ENTRIES_PER_BATCH * 10} per batch)`,
  );
} finally {
  await store.close();
  await database.drop();
}
