import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.js';

/**
 * Real Redis topologies for tests: standalone, Sentinel (primary + replica + 3 sentinels) and Cluster
 * (3 primaries + 3 replicas), each process started from the installed redis-server on free loopback
 * ports, in a temp dir of its own. `stop()` (or `stopAll()`) SIGKILLs them and removes the dirs; if the
 * test process exits first, an 'exit' hook kills whatever is still running.
 *
 * Sentinels run as `redis-server <conf> --sentinel` (the same program as `redis-sentinel`, which is
 * not installed everywhere).
 */

export interface RedisNode {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** SIGKILL; resolves once the process has exited. */
  kill(): Promise<void>;
  /** Starts it again with the same port, dir and arguments; resolves once PING answers. */
  start(): Promise<void>;
  /** SIGSTOP: connections stay open, nothing answers. */
  pause(): void;
  /** SIGCONT. */
  resume(): void;
  /**
   * Runs one command on this node (a fresh ioredis connection, 5 s command timeout). Strings come
   * back as they are, integers as decimal text, anything else (arrays, nil) as JSON.
   */
  cli(...args: string[]): Promise<string>;
}

export interface StandaloneRedis extends RedisNode {
  readonly url: string;
  stop(): Promise<void>;
}

export interface SentinelGroup {
  readonly name: string;
  readonly sentinels: readonly { host: string; port: number }[];
  readonly env: Record<string, string>;
  /** [initial primary, replica] */
  readonly nodes: readonly RedisNode[];
  primary(): Promise<RedisNode>;
  failover(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisClusterTopology {
  readonly nodes: readonly RedisNode[];
  readonly env: Record<string, string>;
  primaries(): Promise<RedisNode[]>;
  replicaOf(primary: RedisNode): Promise<RedisNode>;
  failover(replica?: RedisNode): Promise<void>;
  stop(): Promise<void>;
}

export type Persistence = 'none' | 'aof';

const HOST = '127.0.0.1' as const;

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: every child and dir is known here, so the exit hook and stopAll() find them.

const children = new Set<ChildProcess>();
const dirs = new Set<string>();
const topologies = new Set<{ stop(): Promise<void> }>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const child of children) {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
}

const running = (child: ChildProcess | undefined): child is ChildProcess =>
  child !== undefined && child.exitCode === null && child.signalCode === null;

function killChild(child: ChildProcess | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!running(child)) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function makeDir(kind: string): Promise<string> {
  hookExit();
  const dir = await mkdtemp(join(tmpdir(), `smn-redis-${kind}-`));
  dirs.add(dir);
  return dir;
}

async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  dirs.delete(dir);
}

/**
 * Polls `check` (it throws or returns false while not yet) until it passes or `timeout` ms elapse.
 * Uses node:timers, not the globals, so a test's fake timers neither stall nor hurry it, and works
 * outside a vitest worker too (globalSetup, scripts).
 */
async function until(what: string, check: () => Promise<boolean | void>, timeout = 15_000): Promise<void> {
  let expired = false;
  const timer = setTimeout(() => (expired = true), timeout);
  let last: unknown = 'not yet';
  try {
    for (;;) {
      try {
        if ((await check()) !== false) return;
        last = 'not yet';
      } catch (error) {
        last = error;
      }
      if (expired)
        throw new Error(`Redis topology: timed out after ${timeout} ms waiting for ${what}: ${String(last)}`);
      await sleep(50);
    }
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------------------------
// Talking to a server.

function format(reply: unknown): string {
  if (typeof reply === 'string') return reply;
  if (typeof reply === 'number') return String(reply);
  if (Buffer.isBuffer(reply)) return reply.toString();
  return JSON.stringify(reply, (_key, value: unknown) =>
    Buffer.isBuffer(value) ? value.toString() : (value as unknown),
  );
}

/** One command on host:port through a fresh, non-retrying ioredis connection. */
async function call(port: number, args: readonly (string | number)[], timeout = 5_000): Promise<unknown> {
  const client = new Redis({
    host: HOST,
    port,
    lazyConnect: true,
    connectTimeout: Math.min(timeout, 2_000),
    commandTimeout: timeout,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const [command, ...rest] = args;
    return await client.call(String(command), ...rest.map(String));
  } finally {
    client.disconnect();
  }
}

const callText = async (port: number, ...args: (string | number)[]) => format(await call(port, args));

/** `INFO`-style text (field:value lines) as a map. */
function fields(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at > 0) map.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  return map;
}

/** A flat [k1, v1, k2, v2, ...] reply (SENTINEL replicas/sentinels entries) as a map. */
function pairs(flat: unknown): Map<string, string> {
  const map = new Map<string, string>();
  const list = flat as unknown[];
  for (let i = 0; i + 1 < list.length; i += 2) map.set(String(list[i]), String(list[i + 1]));
  return map;
}

type Role = { role: 'master' } | { role: 'slave'; masterPort: number; connected: boolean } | { role: 'other' };

async function role(port: number, timeout = 2_000): Promise<Role> {
  const reply = (await call(port, ['ROLE'], timeout)) as unknown[];
  if (reply[0] === 'master') return { role: 'master' };
  if (reply[0] === 'slave') return { role: 'slave', masterPort: Number(reply[2]), connected: reply[3] === 'connected' };
  return { role: 'other' };
}

async function tryRole(port: number): Promise<Role | undefined> {
  try {
    return await role(port, 1_000);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// One server process.

interface ManagedProcess extends RedisNode {
  readonly dir: string;
  /** Whether the process runs and is not paused. */
  readonly alive: boolean;
}

async function logTail(dir: string): Promise<string> {
  try {
    return (await readFile(join(dir, 'redis.log'), 'utf8')).split('\n').slice(-8).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Spawns `redis-server <args(port)>` in a fresh dir, retrying on other ports if one was taken
 * meanwhile, and waits until it answers PING.
 */
async function startProcess(
  kind: string,
  args: (port: number, dir: string) => Promise<string[]> | string[],
): Promise<ManagedProcess> {
  const dir = await makeDir(kind);
  let child: ChildProcess | undefined;
  let paused = false;
  let argv: string[] = [];
  let port = 0;

  const launch = async (): Promise<void> => {
    paused = false;
    const spawned = spawn('redis-server', argv, { cwd: dir, stdio: 'ignore' });
    child = spawned;
    children.add(spawned);
    spawned.once('exit', () => children.delete(spawned));
    let failure: string | undefined;
    spawned.once('exit', (code, signal) => (failure ??= `exited early (${code ?? signal})`));
    spawned.on('error', (error) => (failure ??= `could not start: ${error.message}`));
    try {
      await until(
        `redis-server on port ${port} to answer PING`,
        async () => {
          if (failure !== undefined) throw new Error(failure);
          return (await call(port, ['PING'], 1_000)) === 'PONG';
        },
        10_000,
      );
    } catch (error) {
      await killChild(spawned);
      throw new Error(`${String(error)}\n${await logTail(dir)}`);
    }
  };

  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    argv = await args(port, dir);
    try {
      await launch();
      break;
    } catch (error) {
      if (attempt >= 3) {
        await removeDir(dir);
        throw error;
      }
    }
  }

  return {
    host: HOST,
    port,
    dir,
    get alive() {
      return running(child) && !paused;
    },
    kill: () => killChild(child),
    start: async () => {
      if (running(child)) throw new Error(`redis-server on port ${port} is still running`);
      await launch();
    },
    pause: () => {
      if (running(child)) {
        child.kill('SIGSTOP');
        paused = true;
      }
    },
    resume: () => {
      if (running(child)) {
        child.kill('SIGCONT');
        paused = false;
      }
    },
    cli: (...command: string[]) => callText(port, ...command),
  };
}

async function stopProcesses(processes: readonly ManagedProcess[]): Promise<void> {
  await Promise.all(processes.map((p) => p.kill()));
  await Promise.all(processes.map((p) => removeDir(p.dir)));
}

function track<T extends { stop(): Promise<void> }>(topology: T): T {
  const stop = topology.stop.bind(topology);
  let stopping: Promise<void> | undefined;
  const tracked = Object.assign(topology, {
    stop: () => {
      stopping ??= stop().finally(() => topologies.delete(tracked));
      return stopping;
    },
  });
  topologies.add(tracked);
  return tracked;
}

/** Arguments every data node shares. */
function serverArgs(port: number, dir: string, persistence: Persistence): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    HOST,
    '--dir',
    dir,
    '--logfile',
    join(dir, 'redis.log'),
    '--daemonize',
    'no',
    '--save',
    '',
    '--appendonly',
    persistence === 'aof' ? 'yes' : 'no',
  ];
}

// ---------------------------------------------------------------------------------------------
// Standalone.

export async function startStandalone(
  options: { persistence?: Persistence; maxmemoryPolicy?: string; maxmemory?: string; args?: string[] } = {},
): Promise<StandaloneRedis> {
  const node = await startProcess('standalone', (port, dir) => [
    ...serverArgs(port, dir, options.persistence ?? 'none'),
    ...(options.maxmemory !== undefined ? ['--maxmemory', options.maxmemory] : []),
    ...(options.maxmemoryPolicy !== undefined ? ['--maxmemory-policy', options.maxmemoryPolicy] : []),
    ...(options.args ?? []),
  ]);
  return track<StandaloneRedis>({
    host: HOST,
    port: node.port,
    url: `redis://${HOST}:${node.port}`,
    kill: node.kill,
    start: node.start,
    pause: node.pause,
    resume: node.resume,
    cli: node.cli,
    stop: () => stopProcesses([node]),
  });
}

// ---------------------------------------------------------------------------------------------
// Sentinel.

const SENTINEL_NAME = 'smn-test';

function publicNode(node: ManagedProcess): RedisNode {
  return {
    host: HOST,
    port: node.port,
    kill: node.kill,
    start: node.start,
    pause: node.pause,
    resume: node.resume,
    cli: node.cli,
  };
}

export async function startSentinelGroup(options: { persistence?: Persistence } = {}): Promise<SentinelGroup> {
  const persistence = options.persistence ?? 'none';
  const name = SENTINEL_NAME;
  const started: ManagedProcess[] = [];
  const replicationArgs = ['--repl-diskless-sync', 'yes', '--repl-diskless-sync-delay', '0'];
  try {
    const first = await startProcess('sentinel-primary', (port, dir) => [
      ...serverArgs(port, dir, persistence),
      ...replicationArgs,
    ]);
    started.push(first);
    const second = await startProcess('sentinel-replica', (port, dir) => [
      ...serverArgs(port, dir, persistence),
      ...replicationArgs,
      '--replicaof',
      HOST,
      String(first.port),
    ]);
    started.push(second);
    await until('the replica to sync with the primary', async () => {
      const r = await role(second.port);
      return r.role === 'slave' && r.connected;
    });

    // The sentinels start after the replica has synced: their first INFO of the primary lists it.
    const sentinelProcesses = await Promise.all(
      [0, 1, 2].map(() =>
        startProcess('sentinel', async (port, dir) => {
          const conf = join(dir, 'sentinel.conf');
          await writeFile(
            conf,
            [
              `port ${port}`,
              `bind ${HOST}`,
              `dir ${dir}`,
              `logfile ${join(dir, 'redis.log')}`,
              'daemonize no',
              'sentinel resolve-hostnames no',
              `sentinel monitor ${name} ${HOST} ${first.port} 2`,
              `sentinel down-after-milliseconds ${name} 1000`,
              `sentinel failover-timeout ${name} 5000`,
              `sentinel parallel-syncs ${name} 1`,
              '',
            ].join('\n'),
          );
          return [conf, '--sentinel'];
        }),
      ),
    );
    started.push(...sentinelProcesses);

    const sentinels = sentinelProcesses.map((s) => ({ host: HOST, port: s.port }));
    const nodes = [first, second];
    const sentinelCall = async (...args: string[]): Promise<unknown> => {
      let last: unknown;
      for (const s of sentinelProcesses) {
        if (!s.alive) continue;
        try {
          return await call(s.port, ['SENTINEL', ...args], 2_000);
        } catch (error) {
          last = error;
        }
      }
      throw last instanceof Error ? last : new Error('no sentinel answers');
    };
    const masterPortOf = async (sentinelPort: number) =>
      Number(((await call(sentinelPort, ['SENTINEL', 'get-master-addr-by-name', name], 2_000)) as string[])[1]);

    await until(
      'the sentinels to know the replica and each other',
      async () => {
        for (const s of sentinelProcesses) {
          const replicas = ((await call(s.port, ['SENTINEL', 'replicas', name])) as unknown[]).map(pairs);
          const peers = ((await call(s.port, ['SENTINEL', 'sentinels', name])) as unknown[]).map(pairs);
          const replicaOk = replicas.some((r) => r.get('port') === String(second.port) && r.get('flags') === 'slave');
          const peersOk = peers.filter((p) => p.get('flags') === 'sentinel').length === 2;
          if (!replicaOk || !peersOk) return false;
        }
        return true;
      },
      20_000,
    );

    const primary = async (): Promise<ManagedProcess> => {
      const port = Number(((await sentinelCall('get-master-addr-by-name', name)) as string[])[1]);
      const node = nodes.find((n) => n.port === port);
      if (!node) throw new Error(`the sentinels name an unknown primary on port ${port}`);
      return node;
    };

    return track<SentinelGroup>({
      name,
      sentinels,
      env: { REDIS_SENTINELS: sentinels.map((s) => `${s.host}:${s.port}`).join(','), REDIS_SENTINEL_NAME: name },
      nodes: nodes.map(publicNode),
      primary: async () => publicNode(await primary()),
      failover: async () => {
        const old = await primary();
        const next = nodes.find((n) => n !== old);
        if (!next) throw new Error('no other node');
        // NOGOODSLAVE / INPROG until the sentinels' view of the replica is fresh: ask again.
        await until(
          'a sentinel to accept SENTINEL FAILOVER',
          async () => void (await sentinelCall('failover', name)),
          15_000,
        );
        await until(
          `the failover from port ${old.port} to port ${next.port}`,
          async () => {
            for (const s of sentinelProcesses) if (s.alive && (await masterPortOf(s.port)) !== next.port) return false;
            if ((await role(next.port)).role !== 'master') return false;
            if (!old.alive) return true;
            const info = fields(await callText(old.port, 'INFO', 'replication'));
            return (
              info.get('role') === 'slave' &&
              info.get('master_port') === String(next.port) &&
              info.get('master_link_status') === 'up'
            );
          },
          30_000,
        );
      },
      stop: () => stopProcesses(started),
    });
  } catch (error) {
    await stopProcesses(started);
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Cluster.

interface ClusterNodeLine {
  id: string;
  port: number;
  flags: string[];
  masterId: string;
  linkState: string;
  slots: string[];
}

function parseClusterNodes(text: string): ClusterNodeLine[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [id = '', address = '', flags = '', masterId = '', , , , linkState = '', ...slots] = line.split(' ');
      const port = Number(/:(\d+)@/.exec(address)?.[1] ?? 0);
      return { id, port, flags: flags.split(','), masterId, linkState, slots };
    });
}

export async function startCluster(options: { persistence?: Persistence } = {}): Promise<RedisClusterTopology> {
  const persistence = options.persistence ?? 'none';
  const started: ManagedProcess[] = [];
  try {
    // Each node's bus port is a free port of its own (port + 10000 may be taken or beyond 65535).
    const nodes = await Promise.all(
      [0, 1, 2, 3, 4, 5].map(() =>
        startProcess('cluster', async (port, dir) => [
          ...serverArgs(port, dir, persistence),
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--cluster-node-timeout',
          '2000',
          '--cluster-port',
          String(await freePort()),
          '--repl-diskless-sync',
          'yes',
          '--repl-diskless-sync-delay',
          '0',
        ]),
      ),
    );
    started.push(...nodes);

    await new Promise<void>((resolve, reject) => {
      execFile(
        'redis-cli',
        ['--cluster', 'create', ...nodes.map((n) => `${HOST}:${n.port}`), '--cluster-replicas', '1', '--cluster-yes'],
        { timeout: 30_000 },
        (error, stdout, stderr) =>
          error
            ? reject(new Error(`redis-cli --cluster create failed: ${error.message}\n${stdout}\n${stderr}`))
            : resolve(),
      );
    });

    const ids = new Map<ManagedProcess, string>();
    for (const node of nodes) ids.set(node, await callText(node.port, 'CLUSTER', 'MYID'));

    /** Every live node: cluster_state ok, all six known, and its replicas' links up. */
    const settled = async (): Promise<boolean> => {
      for (const node of nodes) {
        if (!node.alive) continue;
        const info = fields(await callText(node.port, 'CLUSTER', 'INFO'));
        if (info.get('cluster_state') !== 'ok' || info.get('cluster_known_nodes') !== '6') return false;
        const r = await role(node.port);
        if (r.role === 'slave' && !r.connected) return false;
      }
      return true;
    };
    await until('every cluster node to report cluster_state:ok with its replica linked', settled, 30_000);

    const primaries = async (): Promise<ManagedProcess[]> => {
      const result: ManagedProcess[] = [];
      for (const node of nodes) if (node.alive && (await tryRole(node.port))?.role === 'master') result.push(node);
      return result;
    };
    const replicaOf = async (primary: RedisNode): Promise<ManagedProcess> => {
      for (const node of nodes) {
        if (!node.alive || node.port === primary.port) continue;
        const r = await tryRole(node.port);
        if (r?.role === 'slave' && r.masterPort === primary.port) return node;
      }
      throw new Error(`no replica of the node on port ${primary.port} answers`);
    };
    const byPort = (port: number): ManagedProcess => {
      const node = nodes.find((n) => n.port === port);
      if (!node) throw new Error(`not a node of this cluster: port ${port}`);
      return node;
    };

    return track<RedisClusterTopology>({
      nodes: nodes.map(publicNode),
      env: { REDIS_CLUSTER_NODES: nodes.map((n) => `${HOST}:${n.port}`).join(',') },
      primaries: async () => (await primaries()).map(publicNode),
      replicaOf: async (primary) => publicNode(await replicaOf(primary)),
      failover: async (replica) => {
        let promoted: ManagedProcess;
        if (replica) promoted = byPort(replica.port);
        else {
          const [first] = await primaries();
          if (!first) throw new Error('no primary answers');
          promoted = await replicaOf(first);
        }
        const before = await role(promoted.port);
        if (before.role !== 'slave') throw new Error(`the node on port ${promoted.port} is not a replica`);
        const oldPrimary = byPort(before.masterPort);
        const ask = async () => {
          try {
            await callText(promoted.port, 'CLUSTER', 'FAILOVER');
          } catch (error) {
            // Its primary is down: only a forced failover can promote it.
            if (!/FORCE/.test(String(error))) throw error;
            await callText(promoted.port, 'CLUSTER', 'FAILOVER', 'FORCE');
          }
        };
        await ask();
        let askedAt = Date.now();
        const id = ids.get(promoted);
        await until(
          `the replica on port ${promoted.port} to become a primary of a settled cluster`,
          async () => {
            if ((await role(promoted.port)).role !== 'master') {
              // A manual failover gives up by itself when the replica does not catch up in time (a busy
              // machine): Redis answers OK either way, so ask again rather than wait for nothing.
              if (Date.now() - askedAt > 8_000) {
                await ask().catch(() => undefined);
                askedAt = Date.now();
              }
              return false;
            }
            for (const node of nodes) {
              if (!node.alive) continue;
              const view = parseClusterNodes(await callText(node.port, 'CLUSTER', 'NODES'));
              if (!view.find((line) => line.id === id)?.flags.includes('master')) return false;
            }
            if (oldPrimary.alive) {
              const r = await role(oldPrimary.port);
              if (r.role !== 'slave' || r.masterPort !== promoted.port || !r.connected) return false;
            }
            return settled();
          },
          60_000,
        );
      },
      stop: () => stopProcesses(started),
    });
  } catch (error) {
    await stopProcesses(started);
    throw error;
  }
}

/** Stops every topology this process started and has not stopped yet (for afterAll). */
export async function stopAll(): Promise<void> {
  await Promise.all([...topologies].map((t) => t.stop()));
}
