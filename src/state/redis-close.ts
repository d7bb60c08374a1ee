import type { RedisClient } from './redis-client.js';

/** How long a closing client waits for Redis to answer QUIT before it drops the connection. */
export const QUIT_WITHIN_MS = 2_000;

/**
 * Waits for `work` at most `ms`: true when it settled in time. The timer does not hold the process
 * open, and a rejection counts as settled (the caller only wants to know whether to stop waiting).
 */
export async function settledWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  const settled = work.then(
    () => true as const,
    () => true as const,
  );
  const outcome = await Promise.race([settled, late]);
  clearTimeout(timer);
  return outcome;
}

/**
 * Closes a client without ever waiting on a Redis that does not answer: QUIT when it is up (what was
 * sent before is answered first), and the connection dropped if no answer comes within `ms` (a node
 * stopped or gone mid-failover, a Cluster node pool still reconnecting). A client that is not up is
 * dropped at once.
 */
export async function closeRedisClient(redis: RedisClient, ms = QUIT_WITHIN_MS): Promise<void> {
  if (redis.status === 'ready') await settledWithin(redis.quit(), ms);
  if (redis.status !== 'end') redis.disconnect();
}
