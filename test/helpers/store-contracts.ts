import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import { newCampaignId } from '../../src/campaigns/campaign.js';
import type { NewCampaign } from '../../src/campaigns/campaign-store.js';
import { REDIS_URL, redisForTests, uniquePrefix } from './redis.js';
import type { RedisClusterTopology } from './redis-topologies.js';

/**
 * What the store contract suites (test/contracts/) and the Redis store tests share: one Redis connection per file, a key prefix
 * of its own per store made, every key under them deleted at the end, and the list of twins a
 * contract runs against (memory always; Redis whenever one answers, which CI requires).
 */

/** Whether the Redis twins run: false only on a laptop without Redis (CI=true throws instead). */
export const redisReady = await redisForTests();

/**
 * `STORE_CONTRACTS_REDIS=cluster`: the Redis twins run on a Redis Cluster of each file's own instead of
 * the shared Redis, so the contracts also prove the stores keep each command to one hash slot.
 */
const onCluster = process.env.STORE_CONTRACTS_REDIS === 'cluster';

export interface ContractRedis {
  /** The file's connection (open between beforeAll and afterAll). */
  client(): Redis;
  /** A fresh key prefix (ending in `tail`), cleaned up after the file. */
  prefix(tail?: string): string;
  /** Keys under `prefix` that still have a time to live (PTTL > 0): what Redis has yet to expire. */
  expiring(prefix: string): Promise<string[]>;
}

const literal = (text: string) => text.replace(/[*?[\]\\]/g, '\\$&');

/**
 * A Redis Cluster of the calling test file's own (3 primaries, 3 replicas, started in beforeAll and
 * stopped after the file) and an ioredis Cluster client to it.
 */
export function contractCluster(): { client(): Cluster } {
  let topology: RedisClusterTopology | undefined;
  let cluster: Cluster | undefined;
  beforeAll(async () => {
    if (!redisReady) return;
    // Loaded only here: files that run on the shared Redis never start a topology.
    const { startCluster } = await import('./redis-topologies.js');
    topology = await startCluster();
    cluster = new Cluster(topology.nodes.map(({ host, port }) => ({ host, port })));
    await new Promise<void>((resolve, reject) => {
      cluster!.once('ready', resolve);
      cluster!.once('error', reject);
    });
  }, 60_000);
  afterAll(async () => {
    cluster?.disconnect();
    await topology?.stop();
  });
  return {
    client() {
      if (!cluster) throw new Error('the Cluster twin ran without Redis');
      return cluster;
    },
  };
}

/** The file's keys matching `pattern`: on each primary of a Cluster. */
async function keysOf(redis: Redis | Cluster, pattern: string): Promise<string[]> {
  if (!(redis instanceof Cluster)) return redis.keys(pattern);
  return (await Promise.all(redis.nodes('master').map((node) => node.keys(pattern)))).flat();
}

/** One Redis connection for the calling test file (nothing is opened when Redis is not there). */
export function contractRedis(): ContractRedis {
  let redis: Redis | undefined;
  const made: string[] = [];
  const cluster = onCluster ? contractCluster() : undefined;
  beforeAll(() => {
    if (!redisReady) return;
    // The suites use only commands a Cluster client answers as well (by key, or through keysOf).
    redis = cluster ? (cluster.client() as unknown as Redis) : new Redis(REDIS_URL);
  });
  afterAll(async () => {
    // A Cluster goes with its keys.
    if (!redis || cluster) return;
    for (const prefix of made) {
      const keys = await redis.keys(`${literal(prefix)}*`);
      if (keys.length > 0) await redis.unlink(...keys);
    }
    redis.disconnect();
  });
  const client = () => {
    if (!redis) throw new Error('the Redis twin ran without Redis');
    return redis;
  };
  return {
    client,
    prefix(tail = '') {
      const prefix = `${uniquePrefix()}${tail}`;
      made.push(prefix);
      return prefix;
    },
    async expiring(prefix) {
      const keys = await keysOf(client(), `${literal(prefix)}*`);
      const ttls = await Promise.all(keys.map((key) => client().pttl(key)));
      // PTTL answers 0 for a key in its last millisecond, which Redis still serves until that
      // millisecond has passed (it expires a key once now > when): such a key is still expiring.
      return keys.filter((_, index) => ttls[index]! >= 0);
    },
  };
}

/** The twins a contract runs against, by name: `describe.each(twins(memory, redis))`. */
export function twins<T extends { readonly name: string }>(memory: T, redis: T): T[] {
  return redisReady ? [memory, redis] : [memory];
}

/** A clock the memory twins read (the `Clock` shape: `now()` answers a Date), moved by hand. */
export function manualClock(start = Date.parse('2026-12-01T09:00:00.000Z')) {
  let at = start;
  return {
    now: () => new Date(at),
    /** Epoch milliseconds. */
    ms: () => at,
    advance(ms: number) {
      at += ms;
    },
  };
}

/**
 * Waits until Redis has expired every key under `prefix` that had a time to live (keys kept for
 * good, PTTL -1, stay): Redis keeps real time, so this is how a Redis twin lets its TTLs pass.
 */
export async function untilExpired(redis: ContractRedis, prefix: string, timeoutMs = 5_000): Promise<void> {
  await vi.waitFor(async () => expect(await redis.expiring(prefix)).toEqual([]), { timeout: timeoutMs, interval: 25 });
}

/** A new campaign draft of `tenant`, created at `createdAt` (campaign ids sort by creation time). */
export function draftCampaign(tenant: string, createdAt: Date): NewCampaign {
  return {
    id: newCampaignId(createdAt),
    tenant,
    owner: { sub: 'owner-1', tenant },
    name: 'Winter sale',
    smsTemplateId: 'tpl-1',
    signId: 'sign-1',
    status: 'DRAFT',
    messagesPerSecond: 0,
    createdAt,
  };
}
