// A replica's history writer killed (SIGKILL) in the middle of a backlog loses nothing and duplicates
// nothing: what it took and never acknowledged stays pending in the consumer group, another writer takes
// it over after HISTORY_CLAIM_IDLE_MS, and rows written twice are written once (primary keys).
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HistoryEvent } from '../../src/history/events.js';
import { startHistoryWriter } from '../../src/history/history-writer.js';
import { openPostgresHistory } from '../../src/postgres/postgres-history-store.js';
import type { SentMessage } from '../../src/send/send-log.js';
import { createRedisHistoryOutbox, HISTORY_GROUP, historyOutboxKeys } from '../../src/state/redis-history-outbox.js';
import { startChild, type Child } from '../../scripts/lib/child-process.js';
import { LogCapture } from '../helpers/log-capture.js';
import { createTestDatabase, historyConfig } from '../helpers/postgres.js';
import { REDIS_URL, redisForTests, uniquePrefix } from '../helpers/redis.js';

const hasRedis = await redisForTests();

/** The backlog: 200 sends of 1000 messages, an opt-out change of 50 numbers and a held-back count every 10th. */
const SENDS = 200;
const PER_SEND = 1_000;
const EVERY = 10;
const OPT_OUT_NUMBERS = 50;
const TOTAL_MESSAGES = SENDS * PER_SEND;
const TOTAL_LEDGER = (SENDS / EVERY) * OPT_OUT_NUMBERS;
const TOTAL_SUPPRESSED = SENDS / EVERY;
/** The killed writer's batch: 2 entries, about 2000 rows per transaction, so it commits often and is killed mid-way. */
const CRASHING_BATCH = 2;
/** Message rows the doomed writer commits before it is killed. */
const KILL_AFTER_ROWS = 15_000;

const prefix = uniquePrefix();
const keys = historyOutboxKeys(prefix);
let redis: Redis;
let database: { url: string; drop(): Promise<void> };
let db: pg.Client;
const children: Array<Child<true>> = [];

beforeAll(async () => {
  redis = new Redis(REDIS_URL);
  database = await createTestDatabase();
  db = new pg.Client({ connectionString: database.url });
  await db.connect();
});
afterAll(async () => {
  for (const child of children) await child.kill('SIGKILL');
  await redis?.unlink(keys.stream, keys.dropped);
  redis?.disconnect();
  await db?.end();
  await database?.drop();
});

const count = async (text: string) => Number((await db.query<{ n: string }>(text)).rows[0]!.n);
const messageRows = () => count('SELECT count(*) AS n FROM messages');

/** XPENDING's summary: how many entries are taken and not acknowledged, per consumer. */
async function pending(): Promise<{ total: number; byConsumer: Map<string, number> }> {
  const [total, , , consumers] = (await redis.xpending(keys.stream, HISTORY_GROUP)) as [
    number,
    string | null,
    string | null,
    Array<[string, string]> | null,
  ];
  return { total, byConsumer: new Map((consumers ?? []).map(([name, n]) => [name, Number(n)])) };
}

function backlog(): HistoryEvent[] {
  const run = randomUUID().slice(0, 8);
  const at = new Date();
  const events: HistoryEvent[] = [];
  for (let send = 0; send < SENDS; send += 1) {
    const requestId = `${run}-request-${send}`;
    const messages: SentMessage[] = Array.from({ length: PER_SEND }, (_, position) => ({
      messageId: `${run}-${send}-${position}`,
      endpoint: `+86138${String(send * PER_SEND + position).padStart(8, '0')}`,
      requestId,
      smsTemplateId: 'tpl-crash',
      campaignId: 'campaign-crash',
      submittedAt: at,
      sentBy: { sub: 'crash-ops', tenant: 'crash' },
    }));
    events.push({ kind: 'sent', messages });
    if (send % EVERY === 0) {
      events.push({
        kind: 'opt-out',
        tenant: 'crash',
        endpoints: Array.from(
          { length: OPT_OUT_NUMBERS },
          (_, n) => `+86139${String(send * 100 + n).padStart(8, '0')}`,
        ),
        action: 'ADDED',
        source: 'MANUAL',
        reason: 'asked',
        by: 'crash-ops',
        at,
      });
      events.push({ kind: 'suppressed', tenant: 'crash', at, smsTemplateId: 'tpl-crash', count: 3 });
    }
  }
  return events;
}

function startWriterProcess(consumer: string): Promise<Child<true>> {
  return startChild(
    ['--import', 'tsx', 'test/fixtures/history-writer-process.ts'],
    {
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      HISTORY_DATABASE_URL: database.url,
      HISTORY_CONSUMER: consumer,
      HISTORY_BATCH_ENTRIES: String(CRASHING_BATCH),
      // Long: the killed writer's entries must be taken over by the survivor, not by a later attempt here.
      HISTORY_CLAIM_IDLE_MS: '600000',
    },
    (line) => (line.includes('"history writer ready"') ? true : undefined),
  );
}

describe.runIf(hasRedis)('a history writer killed mid-write', () => {
  it('loses nothing and duplicates nothing: another writer takes its entries over and finishes', async () => {
    const logs = new LogCapture();
    const logger = pino({ level: 'info' }, logs);
    // The survivor's store, opened first: the migrations are done before any writer starts.
    const store = await openPostgresHistory(historyConfig(database.url), logger);
    const outbox = createRedisHistoryOutbox(redis, {
      keyPrefix: prefix,
      maxEntries: 1_000_000,
      claimIdleMs: 500,
      consumer: 'survivor',
      logger,
    });
    try {
      const events = backlog();
      for (let first = 0; first < events.length; first += 20) await outbox.append(events.slice(first, first + 20));
      expect(await redis.xlen(keys.stream)).toBe(events.length);

      // Kill a writer process once it has committed a good part of the backlog; it must have taken entries it did not
      // acknowledge (it was mid-batch), and must not have finished. A kill that landed between two batches
      // (nothing pending) is tried again with a fresh process; the backlog is far too big to finish first.
      let killed: { consumer: string; rows: number; pending: number } | undefined;
      for (let attempt = 1; attempt <= 5 && !killed; attempt += 1) {
        const before = await messageRows();
        const consumer = `doomed-${attempt}`;
        const child = await startWriterProcess(consumer);
        children.push(child);
        // Well into the backlog (about 15 of its transactions committed), far from its end.
        await vi.waitFor(async () => expect(await messageRows()).toBeGreaterThanOrEqual(before + KILL_AFTER_ROWS), {
          timeout: 20_000,
          interval: 10,
        });
        expect(await child.kill('SIGKILL')).toBeNull(); // exited by the signal, not by itself
        const rows = await messageRows();
        const left = (await pending()).byConsumer.get(consumer) ?? 0;
        expect(rows, 'the killed writer finished the backlog: make it bigger').toBeLessThan(TOTAL_MESSAGES);
        if (left > 0) killed = { consumer, rows, pending: left };
      }
      expect(killed, 'no kill landed mid-batch in 5 attempts').toBeDefined();
      expect(killed!.rows).toBeGreaterThan(0);
      expect(killed!.rows).toBeLessThan(TOTAL_MESSAGES);
      expect(killed!.pending).toBeGreaterThan(0);

      // The survivor: its own consumer, a short claim idle time, bigger batches.
      const writer = startHistoryWriter({
        outbox,
        store,
        logger,
        batchEntries: 20,
        blockMs: 200,
        onRows: () => undefined,
        onFailure: () => undefined,
      });
      try {
        await vi.waitFor(
          async () => {
            expect(await redis.xlen(keys.stream)).toBe(0);
            expect((await pending()).total).toBe(0);
          },
          { timeout: 30_000, interval: 200 },
        );
      } finally {
        await writer.stop();
      }
      expect(
        logs.entries().some((entry) => entry.msg === 'history entries another replica left unwritten taken over'),
      ).toBe(true);

      expect(await count('SELECT count(*) AS n FROM messages')).toBe(TOTAL_MESSAGES);
      expect(await count('SELECT count(DISTINCT message_id) AS n FROM messages')).toBe(TOTAL_MESSAGES);
      // Every message at its place in its send, none left as a report-first placeholder.
      expect(await count('SELECT count(*) AS n FROM messages WHERE seq < 0')).toBe(0);
      expect(await count('SELECT count(DISTINCT (request_id, seq)) AS n FROM messages')).toBe(TOTAL_MESSAGES);
      expect(await count('SELECT count(*) AS n FROM opt_out_ledger')).toBe(TOTAL_LEDGER);
      expect(await count('SELECT count(DISTINCT (event_id, endpoint)) AS n FROM opt_out_ledger')).toBe(TOTAL_LEDGER);
      expect(await count('SELECT count(*) AS n FROM suppressed_sends')).toBe(TOTAL_SUPPRESSED);
      expect(await count('SELECT count(DISTINCT event_id) AS n FROM suppressed_sends')).toBe(TOTAL_SUPPRESSED);
      expect(await count('SELECT coalesce(sum(count), 0) AS n FROM suppressed_sends')).toBe(TOTAL_SUPPRESSED * 3);
    } finally {
      await outbox.close();
      await store.close();
    }
  }, 60_000);
});
