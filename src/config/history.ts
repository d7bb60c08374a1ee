import type { Reader } from './reader.js';
import type { HistoryConfig } from './types.js';

/**
 * The erasure key used when none is set outside production: history works on a laptop, and start-up
 * warns that erased numbers are only as safe as this published value.
 */
export const DEVELOPMENT_ERASURE_KEY = 'smn-gateway-development-erasure-key';

/** HISTORY_*: the history in PostgreSQL, off when HISTORY_DATABASE_URL is unset. */
export function readHistory(read: Reader, production: boolean): HistoryConfig | undefined {
  const raw = read.text('HISTORY_DATABASE_URL');
  const retentionDays = read.integer('HISTORY_RETENTION_DAYS', 180, 1, 3_650);
  const outboxMaxEntries = read.integer('HISTORY_OUTBOX_MAX_ENTRIES', 1_000_000, 1, 100_000_000);
  const claimIdleMs = read.integer('HISTORY_CLAIM_IDLE_MS', 30_000, 100, 3_600_000);
  const batchEntries = read.integer('HISTORY_BATCH_ENTRIES', 200, 1, 10_000);
  const writer = read.boolean('HISTORY_WRITER', true);
  const ca = read.pem('HISTORY_DATABASE_CA');
  const key = read.text('HISTORY_ERASURE_KEY');
  if (raw === undefined) return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error('protocol');
  } catch {
    read.problems.push('HISTORY_DATABASE_URL must be a postgres:// or postgresql:// URL');
  }
  if (key !== undefined && key.length < 32) read.problems.push('HISTORY_ERASURE_KEY must be at least 32 characters');
  if (key === undefined && production) {
    read.problems.push('HISTORY_ERASURE_KEY is required in production when HISTORY_DATABASE_URL is set');
  }
  return {
    databaseUrl: raw,
    ca,
    retentionDays,
    outboxMaxEntries,
    erasureKey: key ?? DEVELOPMENT_ERASURE_KEY,
    erasureKeyDefaulted: key === undefined,
    writer,
    claimIdleMs,
    batchEntries,
  };
}
