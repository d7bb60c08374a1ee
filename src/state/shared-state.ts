import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { createMemoryState } from './memory-state.js';
import type { SharedState } from './state-port.js';

export type { SharedState } from './state-port.js';

/**
 * The state of this replica's choosing: in memory, or in Redis. The Redis side (ioredis, BullMQ, the
 * Lua scripts) is only loaded when REDIS_URL is set: a single replica never pays for it in memory.
 */
export async function createSharedState(config: Config, logger: Logger): Promise<SharedState> {
  if (!config.state.redisUrl) return createMemoryState(config, logger);
  const { createRedisState } = await import('./redis-state.js');
  return createRedisState(config, logger);
}
