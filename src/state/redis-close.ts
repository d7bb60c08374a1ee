import { settledWithin } from '../util/settled-within.js';
import type { RedisClient } from './redis-client.js';

/** How long a closing client waits for Redis to answer QUIT before it drops the connection. */
export const QUIT_WITHIN_MS = 2_000;

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
