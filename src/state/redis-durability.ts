import type { ChainableCommander } from 'ioredis';
import { NotReplicatedError } from '../errors/fail-closed.js';
import { isCluster, primariesOf, redisCause, type RedisClient } from './redis-client.js';

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
   * The commands must be safe to run twice: one that met a moved or demoted primary is run once more.
   */
  write(build: (pipeline: ChainableCommander) => void): Promise<unknown[]>;
}

/**
 * Answers that mean the write went to a node that no longer owns it (a failover, a resharding, a
 * floating address that moved): nothing was written there, so it is tried once more on the right one.
 */
const MOVED_ON = new Set(['MOVED', 'ASK', 'READONLY', 'CLUSTERDOWN', 'TRYAGAIN', 'DISCONNECTED']);
const movedOn = (error: unknown) =>
  MOVED_ON.has(redisCause(error)) || (error instanceof Error && error.message.includes('WAIT cannot be used'));

/**
 * This connection only writes pipelines, so nothing else would teach it where the data went: after a
 * Cluster failover its slot map is asked for again; elsewhere it waits for its reconnect (READONLY).
 */
async function followPrimary(redis: RedisClient, waitMs: number): Promise<void> {
  if (isCluster(redis)) {
    await new Promise<void>((resolve) => redis.refreshSlotsCache(() => resolve()));
    return;
  }
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, waitMs);
    function done() {
      clearTimeout(timer);
      redis.off('ready', done);
      resolve();
    }
    redis.once('ready', done);
  });
}

export function createDurableWrites(redis: RedisClient, requiredAcks: number, waitMs: number): DurableWrites {
  const once = async (build: (pipeline: ChainableCommander) => void): Promise<unknown[]> => {
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
  };
  return {
    requiredAcks,
    async write(build) {
      try {
        return await once(build);
      } catch (error) {
        if (!movedOn(error)) throw error;
        await followPrimary(redis, waitMs);
        return once(build);
      }
    },
  };
}

/** The replicas every primary has now (the fewest, in a Cluster): REDIS_MIN_REPLICA_ACKS' default. */
export async function connectedReplicas(redis: RedisClient): Promise<number> {
  const counts = await Promise.all(
    primariesOf(redis).map(async (node) => {
      const info = await node.info('replication');
      return Number(/^connected_slaves:(\d+)/m.exec(info)?.[1] ?? 0);
    }),
  );
  return Math.min(...counts);
}
