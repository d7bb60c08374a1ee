import type { Reader } from './reader.js';

/** A host and port of a Sentinel or a Cluster node. */
export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** Where Redis is: one server (or a floating address), a Sentinel group, or a Cluster. */
export type RedisTopology =
  | { readonly kind: 'standalone'; readonly url: URL }
  | {
      readonly kind: 'sentinel';
      readonly sentinels: readonly HostPort[];
      /** The master's name the sentinels monitor (REDIS_SENTINEL_NAME). */
      readonly name: string;
      readonly sentinelPassword: string | undefined;
      readonly db: number;
    }
  | { readonly kind: 'cluster'; readonly nodes: readonly HostPort[] };

/** PEM contents, read from the setting itself or the file it names. */
export interface RedisTls {
  readonly ca: string | undefined;
  readonly cert: string | undefined;
  readonly key: string | undefined;
}

export interface RedisConfig {
  readonly topology: RedisTopology;
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** TLS toward every node (and sentinel): on with rediss:// or any REDIS_TLS_* setting. */
  readonly tls: RedisTls | undefined;
  /**
   * Replicas that must acknowledge a claim or an opt-out change before the send goes on (WAIT).
   * Undefined: 1 when the primary has replicas at start, else 0.
   */
  readonly minReplicaAcks: number | undefined;
  /** How long a WAIT may take before the request is refused with nothing sent. */
  readonly waitMs: number;
  /** How often the state marker is checked and readiness proven by a write. */
  readonly checkIntervalMs: number;
}

function hostPorts(read: Reader, name: string): HostPort[] {
  const out: HostPort[] = [];
  for (const item of read.list(name)) {
    const match = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(item);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65_535) {
      read.problems.push(`${name} must be a comma-separated list of host:port (got "${item}")`);
      continue;
    }
    out.push({ host: match[1]!.replace(/^\[|\]$/g, ''), port });
  }
  return out;
}

function url(read: Reader): URL | undefined {
  const raw = read.text('REDIS_URL');
  if (raw === undefined) return undefined;
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error('protocol');
    return parsed;
  } catch {
    read.problems.push('REDIS_URL must be a redis:// or rediss:// URL');
    return undefined;
  }
}

/**
 * Redis settings: standalone (REDIS_URL), Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_NAME,
 * REDIS_SENTINEL_PASSWORD) or Cluster (REDIS_CLUSTER_NODES); one of them, or none (memory).
 */
export function readRedis(read: Reader): RedisConfig | undefined {
  const standalone = url(read);
  const sentinels = hostPorts(read, 'REDIS_SENTINELS');
  const clusterNodes = hostPorts(read, 'REDIS_CLUSTER_NODES');
  const chosen = [
    read.text('REDIS_URL') !== undefined && 'REDIS_URL',
    read.text('REDIS_SENTINELS') !== undefined && 'REDIS_SENTINELS',
    read.text('REDIS_CLUSTER_NODES') !== undefined && 'REDIS_CLUSTER_NODES',
  ].filter(Boolean);
  if (chosen.length > 1) {
    read.problems.push(`Set only one of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES (got ${chosen.join(', ')})`);
    return undefined;
  }
  const db = standalone ? Number(standalone.pathname.slice(1) || '0') : read.integer('REDIS_DB', 0, 0, 15);
  let topology: RedisTopology | undefined;
  if (standalone) topology = { kind: 'standalone', url: standalone };
  else if (sentinels.length > 0) {
    const name = read.matching('REDIS_SENTINEL_NAME', /^[A-Za-z0-9._-]{1,128}$/, 'a Sentinel master name');
    if (name === undefined) {
      if (read.text('REDIS_SENTINEL_NAME') === undefined) {
        read.problems.push('REDIS_SENTINEL_NAME is required with REDIS_SENTINELS');
      }
      return undefined;
    }
    topology = { kind: 'sentinel', sentinels, name, sentinelPassword: read.text('REDIS_SENTINEL_PASSWORD'), db };
  } else if (clusterNodes.length > 0) topology = { kind: 'cluster', nodes: clusterNodes };
  if (!topology) return undefined;

  const tls = { ca: read.pem('REDIS_TLS_CA'), cert: read.pem('REDIS_TLS_CERT'), key: read.pem('REDIS_TLS_KEY') };
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    read.problems.push('REDIS_TLS_CERT and REDIS_TLS_KEY go together (a client certificate and its key)');
  }
  const tlsOn =
    standalone?.protocol === 'rediss:' || read.boolean('REDIS_TLS', false) || Object.values(tls).some(Boolean);
  const decode = (value: string) => (value === '' ? undefined : decodeURIComponent(value));
  const acks = read.text('REDIS_MIN_REPLICA_ACKS');
  return {
    topology,
    username: read.text('REDIS_USERNAME') ?? (standalone && decode(standalone.username)),
    password: read.text('REDIS_PASSWORD') ?? (standalone && decode(standalone.password)),
    tls: tlsOn ? tls : undefined,
    minReplicaAcks: acks === undefined ? undefined : read.integer('REDIS_MIN_REPLICA_ACKS', 0, 0, 16),
    waitMs: read.integer('REDIS_WAIT_MS', 1_000, 10, 60_000),
    checkIntervalMs: read.integer('REDIS_CHECK_INTERVAL_MS', 1_000, 100, 60_000),
  };
}
