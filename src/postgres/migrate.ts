import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import type pg from 'pg';
import type { Logger } from 'pino';

/**
 * `migrations/` at the package root: found by walking up from this file to the package.json, so it is
 * the same folder from `src/postgres/` (tsx, tests) and from `dist/postgres/` (the build).
 */
export function migrationsDirectory(from: string = import.meta.url): string {
  let directory = dirname(fileURLToPath(from));
  for (;;) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest)) {
      const { name } = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string };
      if (name === 'smn-gateway') return join(directory, 'migrations');
    }
    const parent = dirname(directory);
    if (parent === directory) throw new Error(`no smn-gateway package.json above ${fileURLToPath(from)}`);
    directory = parent;
  }
}

/**
 * Applies the migrations not applied yet, in one transaction, under node-pg-migrate's advisory lock:
 * replicas starting together wait for each other (lock mode `wait`; its default `fail` would make every
 * replica but one fail to start), and the ones after the first find nothing to do.
 */
export async function migrate(pool: pg.Pool, logger: Logger): Promise<string[]> {
  const client = await pool.connect();
  try {
    const applied = await runner({
      dbClient: client,
      dir: migrationsDirectory(),
      direction: 'up',
      migrationsTable: 'pgmigrations',
      singleTransaction: true,
      checkOrder: true,
      advisoryLockMode: 'wait',
      logger: {
        debug: (message: string) => logger.debug(message),
        info: (message: string) => logger.debug(message),
        warn: (message: string) => logger.warn(message),
        error: (message: string) => logger.error(message),
      },
    });
    return applied.map((migration) => migration.name);
  } finally {
    client.release();
  }
}
