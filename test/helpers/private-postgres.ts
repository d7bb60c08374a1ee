import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports.js';

const run = promisify(execFile);

/** Debian's PostgreSQL binaries (the machine's own cluster runs from them). */
const BIN = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';

/** PostgreSQL refuses to run as root: as root, its commands run as the `postgres` user. */
const asOwner = (command: string, args: string[]) =>
  process.getuid?.() === 0
    ? run('runuser', ['-u', 'postgres', '--', join(BIN, command), ...args])
    : run(join(BIN, command), args);

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it and removes its files. */
  destroy(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own (initdb in a temporary folder, a free port, trust auth), for the
 * tests that stop and start the database under a running service. Takes about 2 s to create.
 */
export async function startPrivatePostgres(
  options: {
    /** Serve TLS with this certificate and key (files; copied where the server may read them). */
    readonly tls?: { readonly cert: string; readonly key: string };
  } = {},
): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'smn-pg-'));
  if (process.getuid?.() === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    chownSync(dir, Number(stdout.trim()), Number(group.trim()));
  }
  const data = join(dir, 'data');
  const port = await freePort();
  await asOwner('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8']);
  let tlsFlags = '';
  if (options.tls) {
    // PostgreSQL reads its key only when its owner alone may: copied into the data folder, 0600, owned by it.
    for (const [from, to] of [
      [options.tls.cert, 'server.crt'],
      [options.tls.key, 'server.key'],
    ] as const) {
      await run('cp', [from, join(data, to)]);
    }
    await run('chmod', ['0600', join(data, 'server.key')]);
    if (process.getuid?.() === 0)
      await run('chown', ['postgres:postgres', join(data, 'server.crt'), join(data, 'server.key')]);
    tlsFlags = ' -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key';
  }
  const start = async () => {
    await asOwner('pg_ctl', [
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off${tlsFlags}`,
      'start',
    ]);
  };
  const stop = async () => {
    await asOwner('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
