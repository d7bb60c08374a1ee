import calculateSlot from 'cluster-key-slot';
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'node:tls';
import type { RedisConfig } from '../config/redis.js';

/** One client for every topology: ioredis' own Redis (standalone, Sentinel) or Cluster. */
export type RedisClient = Redis | Cluster;

export const isCluster = (redis: RedisClient): redis is Cluster => redis instanceof Cluster;

/**
 * The places of `keys` grouped so each group may go into one script, transaction or multi-key command:
 * all of them on one server, one group per hash slot in a Cluster.
 */
export function slotGroups(redis: RedisClient, keys: readonly string[]): number[][] {
  if (keys.length === 0) return [];
  const places = [...keys.keys()];
  if (!isCluster(redis)) return [places];
  const groups = new Map<number, number[]>();
  for (const place of places) {
    const slot = calculateSlot(keys[place]!);
    const group = groups.get(slot);
    if (group) group.push(place);
    else groups.set(slot, [place]);
  }
  return [...groups.values()];
}

/** How commands of a client behave: the shared one fails fast; BullMQ's wait for Redis to return. */
export type ClientPurpose = 'commands' | 'blocking';

function tlsOptions(config: RedisConfig): ConnectionOptions | undefined {
  if (!config.tls) return undefined;
  const { ca, cert, key } = config.tls;
  return { ...(ca && { ca }), ...(cert && { cert }), ...(key && { key }) };
}

/** A READONLY answer means the address now leads to a replica (failover): reconnect, do not flood. */
const reconnectOnError = (error: Error): 1 | false => (error.message.startsWith('READONLY') ? 1 : false);

function connectionOptions(config: RedisConfig, purpose: ClientPurpose): RedisOptions {
  const tls = tlsOptions(config);
  return {
    ...(config.username !== undefined && { username: config.username }),
    ...(config.password !== undefined && { password: config.password }),
    ...(tls && { tls }),
    connectTimeout: 2_000,
    reconnectOnError,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
    ...(purpose === 'commands'
      ? {
          // Commands fail at once while Redis is down (no offline queue): a send is refused promptly.
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          // A WAIT may take REDIS_WAIT_MS; the connection must not give up on it first.
          commandTimeout: Math.max(2_000, config.waitMs + 1_000),
        }
      : { enableOfflineQueue: true, maxRetriesPerRequest: null }),
  };
}

/**
 * A client for the configured topology. Sentinel: the sentinels name the primary, and ioredis follows
 * a failover by itself (it also listens for +switch-master). Cluster: ioredis routes by slot and
 * follows MOVED; reads go to primaries only, so a read never sees a replica's older state.
 */
export function createRedisClient(config: RedisConfig, purpose: ClientPurpose = 'commands'): RedisClient {
  const options = connectionOptions(config, purpose);
  const { topology } = config;
  if (topology.kind === 'standalone') {
    const url = new URL(topology.url.href);
    url.username = '';
    url.password = '';
    return new Redis(url.href, options);
  }
  if (topology.kind === 'sentinel') {
    const tls = tlsOptions(config);
    return new Redis({
      ...options,
      sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
      name: topology.name,
      db: topology.db,
      role: 'master',
      failoverDetector: true,
      ...(topology.sentinelPassword !== undefined && { sentinelPassword: topology.sentinelPassword }),
      ...(tls && { enableTLSForSentinelMode: true, sentinelTLS: tls }),
      sentinelRetryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
    });
  }
  const clusterOptions: ClusterOptions = {
    redisOptions: options,
    scaleReads: 'master',
    enableOfflineQueue: purpose === 'blocking',
    enableReadyCheck: true,
    slotsRefreshTimeout: 2_000,
    // Learn a changed Cluster (a primary added, slots moved) even where no command met a MOVED yet: the
    // state checks then mark and probe every primary.
    slotsRefreshInterval: 5_000,
    clusterRetryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
    ...(purpose === 'blocking' && { maxRedirections: 64 }),
  };
  return new Cluster(
    topology.nodes.map(({ host, port }) => ({ host, port })),
    clusterOptions,
  );
}

/** Every primary this client writes to: the one server, or each Cluster primary. */
export function primariesOf(redis: RedisClient): Redis[] {
  return isCluster(redis) ? redis.nodes('master') : [redis];
}

/**
 * The cause of a Redis failure, by its first word or its socket error code: WRONGPASS, NOAUTH,
 * READONLY, MOVED, CROSSSLOT, OOM, LOADING, ECONNREFUSED, a TLS code, or the error's name.
 */
export function redisCause(error: unknown): string {
  if (!(error instanceof Error)) return 'UNKNOWN';
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code !== '') return code;
  const word = /^([A-Z][A-Z_-]{2,})\b/.exec(error.message)?.[1];
  if (word && word !== 'ERR') return word;
  if (/^ERR unknown command/i.test(error.message)) return 'UNKNOWN_COMMAND';
  if (/timed? ?out/i.test(error.message)) return 'TIMEOUT';
  if (/Connection is closed|Stream isn't writeable|enableOfflineQueue/i.test(error.message)) return 'DISCONNECTED';
  if (/alert|certificate|ssl|tls/i.test(error.message)) return 'TLS';
  return error.name === 'Error' ? 'ERR' : error.name;
}
