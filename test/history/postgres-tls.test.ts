import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/logger.js';
import { connectionOptions } from '../../src/postgres/pool.js';
import { openPostgresHistory } from '../../src/postgres/postgres-history-store.js';
import { historyConfig } from '../helpers/postgres.js';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.js';
import { certificates } from '../helpers/test-certificates.js';

const logger = createLogger({ level: 'silent', pretty: false });
let server: PrivatePostgres;
let files: ReturnType<typeof certificates>;

beforeAll(async () => {
  files = certificates(mkdtempSync(join(tmpdir(), 'smn-pg-tls-')));
  server = await startPrivatePostgres({
    tls: { cert: join(files.dir, 'server.pem'), key: join(files.dir, 'server.key') },
  });
}, 60_000);
afterAll(async () => {
  await server?.destroy();
  if (files) rmSync(files.dir, { recursive: true, force: true });
});

async function sslInUse(options: pg.ClientConfig): Promise<boolean> {
  const client = new pg.Client(options);
  await client.connect();
  try {
    const { rows } = await client.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return rows[0]!.ssl;
  } finally {
    await client.end();
  }
}

describe('the history database over TLS (the URL sslmode, HISTORY_DATABASE_CA)', () => {
  it('verify-full with the private CA: TLS in use, migrations run, the store answers', async () => {
    const config = historyConfig(`${server.url}?sslmode=verify-full`, { ca: readFileSync(files.ca, 'utf8') });
    expect(await sslInUse(connectionOptions(config))).toBe(true);
    const store = await openPostgresHistory(config, logger);
    try {
      expect(await store.optOutChanges('t', '+8613800000000')).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('without the CA the server certificate is refused, naming why', async () => {
    const config = historyConfig(`${server.url}?sslmode=verify-full`);
    await expect(openPostgresHistory(config, logger)).rejects.toThrow(/self[- ]signed|certificate/i);
  });

  it('sslmode=disable: no TLS, even with a CA given', async () => {
    const config = historyConfig(`${server.url}?sslmode=disable`, { ca: readFileSync(files.ca, 'utf8') });
    expect(await sslInUse(connectionOptions(config))).toBe(false);
  });
});
