import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { HistoryConfig } from '../config/types.js';
import { HISTORY_STATEMENT_TIMEOUT_MS } from '../history/history-store.js';

/**
 * The pool's connection options. TLS follows the URL's `sslmode` as node-postgres reads it; with a
 * private CA (HISTORY_DATABASE_CA) the server's certificate and name are verified against it, unless
 * `sslmode=disable`. node-postgres lets the URL's TLS parameters override an `ssl` option, so with a CA
 * they are taken out of the URL and expressed in `ssl` instead.
 */
export function connectionOptions(config: Pick<HistoryConfig, 'databaseUrl' | 'ca'>): pg.PoolConfig {
  if (config.ca === undefined) return { connectionString: config.databaseUrl };
  const url = new URL(config.databaseUrl);
  if (url.searchParams.get('sslmode') === 'disable') return { connectionString: config.databaseUrl };
  const ssl: { ca: string; rejectUnauthorized: true; cert?: string; key?: string } = {
    ca: config.ca,
    rejectUnauthorized: true,
  };
  const cert = url.searchParams.get('sslcert');
  const key = url.searchParams.get('sslkey');
  if (cert !== null) ssl.cert = readFileSync(cert, 'utf8');
  if (key !== null) ssl.key = readFileSync(key, 'utf8');
  for (const name of ['sslmode', 'sslrootcert', 'sslcert', 'sslkey', 'ssl', 'uselibpqcompat']) {
    url.searchParams.delete(name);
  }
  return { connectionString: url.toString(), ssl };
}

/** The history's pool: a few connections for reads and erasures (the writer keeps one of its own). */
export function createPool(
  config: Pick<HistoryConfig, 'databaseUrl' | 'ca'>,
  onError: (error: Error) => void,
): pg.Pool {
  const pool = new pg.Pool({
    ...connectionOptions(config),
    max: 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: 'smn-gateway',
    // No query outlives the request that asked (HTTP_REQUEST_TIMEOUT_MS is 30 s by default).
    statement_timeout: HISTORY_STATEMENT_TIMEOUT_MS,
  });
  // An idle connection the server closed: the pool drops it; without a listener it would crash the process.
  pool.on('error', onError);
  return pool;
}
