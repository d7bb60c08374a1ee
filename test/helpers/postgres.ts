import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { HistoryConfig } from '../../src/config/types.js';

/**
 * The PostgreSQL the tests share (CI starts one and may export POSTGRES_URL): trust auth, user postgres.
 * The history tests need it and never skip: no PostgreSQL is a failure, with the reason.
 */
export const POSTGRES_URL = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`the history tests need PostgreSQL at ${POSTGRES_URL} (set POSTGRES_URL): ${String(error)}`);
  }
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database of its own (smn_test_<random>), and how to drop it afterwards. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `smn_test_${randomBytes(6).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/** A HistoryConfig for tests: the database at `url`, a fixed 32-character erasure key. */
export function historyConfig(url: string, overrides: Partial<HistoryConfig> = {}): HistoryConfig {
  return {
    databaseUrl: url,
    ca: undefined,
    retentionDays: 180,
    outboxMaxEntries: 1_000_000,
    erasureKey: 'test-erasure-key-0123456789abcdef',
    erasureKeyDefaulted: false,
    writer: true,
    claimIdleMs: 30_000,
    batchEntries: 200,
    ...overrides,
  };
}
