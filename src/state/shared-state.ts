import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import { createMemoryState } from './memory-state.js';
import type { SharedState } from './state-port.js';
import type { RedisStateHooks } from './redis-state.js';
import type { Clock } from '../util/clock.js';

export type { SharedState } from './state-port.js';

/** What the composition root hooks into the state (the same for memory and Redis; memory ignores Redis-only ones). */
export type SharedStateHooks = RedisStateHooks;

/**
 * The state of this replica's choosing: in memory, or in Redis. The Redis side (ioredis, BullMQ, the
 * Lua scripts) is only loaded when REDIS_URL is set: a single replica never pays for it in memory.
 * An injected clock (tests) reaches the memory stores that expire what the use cases stamped with it.
 */
export async function createSharedState(
  config: Config,
  logger: Logger,
  clock?: Clock,
  hooks: SharedStateHooks = {},
): Promise<SharedState> {
  if (!config.state.redis) return createMemoryState(config, logger, clock, hooks);
  const { createRedisState } = await import('./redis-state.js');
  return createRedisState(config, logger, hooks);
}
