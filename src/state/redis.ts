import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * The shared Redis connection. Commands fail at once while it is down (no offline queue), so
 * sends are refused promptly instead of hanging; it reconnects by itself when Redis returns.
 */
export function createRedis(url: URL, logger: Logger): Redis {
  const redis = new Redis(url.href, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    commandTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    lazyConnect: false,
  });
  let healthy = false;
  redis.on('ready', () => {
    healthy = true;
    logger.info({ component: 'redis' }, 'Redis connected');
  });
  redis.on('error', (error: Error) => {
    if (healthy) logger.error({ component: 'redis', err: error.message }, 'Redis unavailable');
    healthy = false;
  });
  return redis;
}

/** Waits for the first connection, so the service starts ready or does not start. */
export async function waitUntilReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Redis not reachable within ${timeoutMs} ms`)), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
