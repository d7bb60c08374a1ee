import type { Logger } from 'pino';
import { bounded } from '../observability/bounded.js';
import { isCluster, primariesOf, redisCause, type RedisClient } from './redis-client.js';

/** Failures that follow a connection's real failure rather than name it. */
const AFTERMATH = new Set(['DISCONNECTED', 'TIMEOUT']);

/** Whether the client speaks TLS (to a single server, through Sentinel, or to Cluster nodes). */
function usesTls(redis: RedisClient): boolean {
  return Boolean(isCluster(redis) ? redis.options.redisOptions?.tls : redis.options.tls);
}

/**
 * The cause to report for a failed first connection. Over TLS 1.3 a server that refuses the client's
 * certificate sends its alert after the client's handshake is done; a client already writing then often
 * sees only a reset, so a reset before the first reply is named as the TLS failure it almost always is.
 */
function firstConnectionCause(error: Error, tls: boolean): string {
  const cause = redisCause(error);
  if (tls && (cause === 'ECONNRESET' || cause === 'EPIPE')) {
    return `TLS (${cause}: the server closed the connection during or right after the TLS handshake; a server that requires a client certificate does this when REDIS_TLS_CERT/REDIS_TLS_KEY are missing or not trusted)`;
  }
  return `${cause} (${bounded(error.message, 200)})`;
}

/** Waits for the first connection, so the service starts ready or does not start, saying why. */
export async function waitUntilReady(redis: RedisClient, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  let last: unknown;
  // "Not connected" and timeouts follow the real cause (a TLS alert, WRONGPASS): they must not hide it.
  const onError = (error: unknown) => {
    if (last === undefined || !AFTERMATH.has(redisCause(error))) last = error;
  };
  redis.on('error', onError);
  redis.on('node error', onError);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const why = last instanceof Error ? `: ${firstConnectionCause(last, usesTls(redis))}` : '';
        reject(new Error(`Redis not reachable within ${timeoutMs} ms${why}`));
      }, timeoutMs);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  } finally {
    redis.off('error', onError);
    redis.off('node error', onError);
  }
}

function infoField(info: string, field: string): string | undefined {
  return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

/**
 * Refuses a Redis that may evict keys (an evicted opt-out is a send to someone who said stop; BullMQ
 * demands the same), and in production warns when neither AOF nor RDB snapshots would keep the state
 * over a restart.
 */
export async function checkRedisPolicy(redis: RedisClient, production: boolean, logger: Logger): Promise<void> {
  for (const node of primariesOf(redis)) {
    const where = `${node.options.host ?? '?'}:${node.options.port ?? '?'}`;
    // A Sentinel or a Cluster node given as REDIS_URL answers, then fails every command: say so now.
    const mode = infoField(await node.info('server'), 'redis_mode');
    if (!isCluster(redis) && mode === 'sentinel') {
      throw new Error(
        `${where} is a Redis Sentinel: set REDIS_SENTINELS=host:port,... and REDIS_SENTINEL_NAME instead of REDIS_URL.`,
      );
    }
    if (!isCluster(redis) && mode === 'cluster') {
      throw new Error(`${where} is a Redis Cluster node: set REDIS_CLUSTER_NODES=host:port,... instead of REDIS_URL.`);
    }
    const memory = await node.info('memory');
    const policy = infoField(memory, 'maxmemory_policy') ?? 'unknown';
    if (policy !== 'noeviction') {
      throw new Error(
        `Redis at ${where} has maxmemory-policy ${policy}: it may evict opt-outs and idempotency records. ` +
          'Set maxmemory-policy noeviction (CONFIG SET maxmemory-policy noeviction, or in redis.conf).',
      );
    }
    if (!production) continue;
    const persistence = await node.info('persistence');
    const aof = infoField(persistence, 'aof_enabled') === '1';
    const save = await node
      .call('CONFIG', 'GET', 'save')
      .then((answer) => String((answer as string[])[1] ?? ''))
      .catch(() => undefined);
    if (!aof && save === '') {
      logger.warn(
        { component: 'redis', node: where },
        'Redis keeps nothing on disk (no AOF, no RDB snapshots): a restart loses every opt-out and idempotency ' +
          'record; the service will then refuse to send (STATE_LOST). Run Redis with --appendonly yes.',
      );
    } else if (!aof && save === undefined) {
      logger.warn(
        { component: 'redis', node: where },
        'Redis has no AOF and its RDB setting cannot be read (CONFIG is disabled): make sure it persists.',
      );
    }
  }
}
