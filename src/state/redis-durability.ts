import type { ChainableCommander } from 'ioredis';
import { NotReplicatedError } from '../errors/fail-closed.js';
import { isCluster, type RedisClient } from './redis-client.js';

/**
 * Writes that must survive a failover before anything is sent: a send's idempotency claim (and so a
 * campaign batch's) and opt-out changes. They go through one connection of their own, each followed
 * in the same pipeline by WAIT, so Redis answers only once `requiredAcks` replicas have the write (or
 * the wait ends). A WAIT blocks only this connection, never the one every other command uses.
 */
export interface DurableWrites {
  /** Replicas that must acknowledge each write; 0 sends no WAIT. */
  readonly requiredAcks: number;
  /**
   * Runs the commands `build` queues on the durable connection, then WAIT; answers each command's
   * result. Throws the first command's error, or NotReplicatedError when too few replicas acknowledged.
   */
  write(build: (pipeline: ChainableCommander) => void): Promise<unknown[]>;
}

export function createDurableWrites(redis: RedisClient, requiredAcks: number, waitMs: number): DurableWrites {
  return {
    requiredAcks,
    async write(build) {
      const pipeline = redis.pipeline();
      build(pipeline);
      if (requiredAcks > 0) pipeline.wait(requiredAcks, waitMs);
      const answers = (await pipeline.exec()) ?? [];
      const results: unknown[] = [];
      for (const [error, result] of answers) {
        if (error) throw error;
        results.push(result);
      }
      if (requiredAcks > 0) {
        const acknowledged = Number(results.pop());
        if (acknowledged < requiredAcks) throw new NotReplicatedError(acknowledged, requiredAcks, waitMs);
      }
      return results;
    },
  };
}

/** The replicas every primary has now (the fewest, in a Cluster): REDIS_MIN_REPLICA_ACKS' default. */
export async function connectedReplicas(redis: RedisClient): Promise<number> {
  const primaries = isCluster(redis) ? redis.nodes('master') : [redis];
  const counts = await Promise.all(
    primaries.map(async (node) => {
      const info = await node.info('replication');
      return Number(/^connected_slaves:(\d+)/m.exec(info)?.[1] ?? 0);
    }),
  );
  return Math.min(...counts);
}
