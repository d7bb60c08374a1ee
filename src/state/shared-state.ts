import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { createMemoryState } from './memory-state.js';
import type { SharedState } from './state-port.js';
import type { Clock } from '../util/clock.js';

export type { SharedState } from './state-port.js';

/**
 * The state of this replica's choosing: in memory, or in Redis. The Redis side (ioredis, BullMQ, the
 * Lua scripts) is only loaded when REDIS_URL is set: a single replica never pays for it in memory.
 * An injected clock (tests) reaches the memory stores that expire what the use cases stamped with it.
 */
export async function createSharedState(
  config: Config,
  logger: Logger,
  clock?: Clock,
  hooks: { readonly onOutOfMemory?: () => void } = {},
): Promise<SharedState> {
  if (!config.state.redis) return createMemoryState(config, logger, clock);
  const { createRedisState } = await import('./redis-state.js');
  return createRedisState(config, logger, hooks);
}
