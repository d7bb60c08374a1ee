import { createHash } from 'node:crypto';
import type { ChainableCommander } from 'ioredis';
import { isCluster, slotGroups, type RedisClient } from './redis-client.js';
import type { DurableWrites } from './redis-durability.js';
import type { DailyCounterStore } from '../suppression/daily-counter-store.js';
import type { CanonicalForm, OptOutRecord, OptOutStore, RekeyedOptOuts } from '../suppression/opt-out-store.js';

/** Sets each field not set yet; returns how many it set. ARGV[1] is the value, the rest the fields. */
const ADD_NEW = `local added = {}
for i = 2, #ARGV do
  if redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[1]) == 1 then added[#added + 1] = ARGV[i] end
end
return added`;

/** Removes each field ARGV[i]; returns those that were there. */
const REMOVE = `local removed = {}
for i = 1, #ARGV do
  if redis.call('HDEL', KEYS[1], ARGV[i]) == 1 then removed[#removed + 1] = ARGV[i] end
end
return removed`;

/** Moves each field ARGV[i] to ARGV[i + 1] (kept there if already set), if it is still there; returns how many moved. */
const REKEY = `local moved = 0
for i = 1, #ARGV, 2 do
  local record = redis.call('HGET', KEYS[1], ARGV[i])
  if record then
    redis.call('HSETNX', KEYS[1], ARGV[i + 1], record)
    redis.call('HDEL', KEYS[1], ARGV[i])
    moved = moved + 1
  end
end
return moved`;

/**
 * Takes one send per number (in order; a number may repeat) while under ARGV[1]; answers 1 where
 * taken, 0 where the day's limit was reached. KEYS: the day's shards, then (when ARGV[3] is '1') the
 * day's unsharded hash of an earlier version, read only: its counts still hold today. ARGV[2] is the
 * shards' lifetime in ms; then pairs of (index of the number's shard in KEYS, number).
 */
const RESERVE = `local limit = tonumber(ARGV[1])
local legacy = ARGV[3] == '1' and KEYS[#KEYS] or nil
local taken = {}
for i = 4, #ARGV, 2 do
  local key, number = KEYS[tonumber(ARGV[i])], ARGV[i + 1]
  local before = legacy and tonumber(redis.call('HGET', legacy, number) or '0') or 0
  if redis.call('HINCRBY', key, number, 1) + before > limit then
    redis.call('HINCRBY', key, number, -1)
    taken[#taken + 1] = 0
  else
    taken[#taken + 1] = 1
  end
end
for i = 1, legacy and #KEYS - 1 or #KEYS do redis.call('PEXPIRE', KEYS[i], ARGV[2]) end
return taken`;

/** Gives back one send per number, never below zero. KEYS: shards; ARGV: pairs (index of the shard, number). */
const RELEASE = `for i = 1, #ARGV, 2 do
  local key = KEYS[tonumber(ARGV[i])]
  if redis.call('HINCRBY', key, ARGV[i + 1], -1) <= 0 then redis.call('HDEL', key, ARGV[i + 1]) end
end
return 0`;

/** Daily counters outlive their day by one, then Redis drops them. */
const DAILY_TTL_MS = 2 * 86_400_000;

/** A key part for a tenant that no tenant id can forge into another's. */
function tenantPart(tenant: string): string {
  return createHash('sha256').update(tenant).digest('hex').slice(0, 32);
}

/**
 * Opt-outs shared by every replica: one hash per tenant, number -> record, no expiry.
 *
 * An earlier version may have stored numbers in another form (`+86013845352978` as written). Each
 * tenant's list is re-keyed to `canonical`'s form before this store first touches it (a marker per
 * tenant and form, `{prefix}v1:optout-form:<tenant>`, remembers it for every replica; one GET per
 * tenant per process afterwards), so a start never walks the keyspace and a tenant's cost is its own
 * list, once. Safe on several replicas at once: a field is moved only if it is still there. Each tenant's
 * list is one key: any Cluster slot. Changes are acknowledged by the required replicas (`durable`).
 */
export function createRedisOptOutStore(
  redis: RedisClient,
  keyPrefix: string,
  canonical: CanonicalForm,
  onRekeyed: (counts: RekeyedOptOuts) => void = () => undefined,
  durable?: DurableWrites,
): OptOutStore {
  /** An opt-out change answers only once the required replicas have it (WAIT): a failover keeps it. */
  const write = async <T>(run: (client: RedisClient | ChainableCommander) => unknown): Promise<T> => {
    if (!durable) return (await run(redis)) as T;
    const [answer] = await durable.write((pipeline) => void run(pipeline));
    return answer as T;
  };
  const keyOf = (tenant: string) => `${keyPrefix}v1:optout:${tenantPart(tenant)}`;
  const formKeyOf = (tenant: string) => `${keyPrefix}v1:optout-form:${tenantPart(tenant)}`;
  const ready = new Map<string, Promise<void>>();

  const rekeyList = async (tenant: string): Promise<void> => {
    if ((await redis.get(formKeyOf(tenant))) === canonical.form) return;
    let rekeyed = 0;
    let unreadable = 0;
    const key = keyOf(tenant);
    for await (const entries of redis.hscanStream(key, { count: 1000 }) as AsyncIterable<string[]>) {
      const moves: string[] = [];
      for (let index = 0; index < entries.length; index += 2) {
        const number = entries[index]!;
        const form = canonical.of(number);
        if (form === undefined) unreadable += 1;
        else if (form !== number) moves.push(number, form);
      }
      if (moves.length > 0) rekeyed += Number(await redis.eval(REKEY, 1, key, ...moves));
    }
    await redis.set(formKeyOf(tenant), canonical.form);
    if (rekeyed > 0 || unreadable > 0) onRekeyed({ rekeyed, unreadable });
  };
  /** Resolves once the tenant's list is in the canonical form; a failure is tried again next time. */
  const inCanonicalForm = (tenant: string): Promise<void> => {
    let done = ready.get(tenant);
    if (!done) {
      done = rekeyList(tenant).catch((error: unknown) => {
        ready.delete(tenant);
        throw error;
      });
      ready.set(tenant, done);
    }
    return done;
  };

  return {
    async add(tenant, numbers, record) {
      if (numbers.length === 0) return [];
      await inCanonicalForm(tenant);
      return write<string[]>((client) => client.eval(ADD_NEW, 1, keyOf(tenant), JSON.stringify(record), ...numbers));
    },
    async remove(tenant, numbers) {
      if (numbers.length === 0) return [];
      await inCanonicalForm(tenant);
      return write<string[]>((client) => client.eval(REMOVE, 1, keyOf(tenant), ...numbers));
    },
    async find(tenant, numbers) {
      const found = new Map<string, OptOutRecord>();
      if (numbers.length === 0) return found;
      await inCanonicalForm(tenant);
      const values = await redis.hmget(keyOf(tenant), ...numbers);
      values.forEach((value, index) => {
        if (value !== null) found.set(numbers[index]!, JSON.parse(value) as OptOutRecord);
      });
      return found;
    },
  };
}

/** Shards of a day's counters: a day is not one hot key (one Cluster node) for every number. */
const DAILY_SHARDS = 16;

/** A number's shard: its value mod 16, which its last four digits decide (10^4 = 16 * 625); stable, cheap. */
function shardOf(number: string): number {
  const digits = /\d{1,4}$/.exec(number)?.[0];
  if (digits !== undefined) return Number(digits) % DAILY_SHARDS;
  let sum = 0;
  for (const char of number) sum += char.charCodeAt(0);
  return sum % DAILY_SHARDS;
}

/**
 * Daily counters shared by every replica: per day 16 hashes (`v1:daily:<day>:<shard>`), number ->
 * accepted sends. A call runs one script per slot group: every shard at once on one server, each shard
 * on its own in a Cluster (a number's count lives in one shard, so each number is still atomic).
 *
 * An earlier version kept a day in one hash, `v1:daily:<day>` (two days' TTL). On a server that may
 * hold it (not a Cluster, which this store never used unsharded) a reservation counts it as well, read
 * only, so a rolling upgrade gives nobody a second allowance; a release gives back from the shards.
 */
export function createRedisDailyCounterStore(redis: RedisClient, keyPrefix: string): DailyCounterStore {
  const legacyKeyOf = (day: string) => `${keyPrefix}v1:daily:${day}`;
  const shardKeyOf = (day: string, number: string) => `${legacyKeyOf(day)}:${shardOf(number)}`;

  /** Each slot group's keys and ARGV pairs (index of the shard in the keys, number), with the numbers' places. */
  const groupsOf = (day: string, numbers: readonly string[]) => {
    const shardKeys = numbers.map((number) => shardKeyOf(day, number));
    return slotGroups(redis, shardKeys).map((places) => {
      const keys: string[] = [];
      const pairs: string[] = [];
      for (const index of places) {
        const key = shardKeys[index]!;
        if (!keys.includes(key)) keys.push(key);
        pairs.push(String(keys.indexOf(key) + 1), numbers[index]!);
      }
      return { places, keys, pairs };
    });
  };

  return {
    async reserve(day, numbers, limit) {
      if (numbers.length === 0) return [];
      const legacy = !isCluster(redis);
      const taken = new Array<boolean>(numbers.length).fill(false);
      await Promise.all(
        groupsOf(day, numbers).map(async ({ places, keys, pairs }) => {
          const answers = (await redis.eval(
            RESERVE,
            keys.length + (legacy ? 1 : 0),
            ...keys,
            ...(legacy ? [legacyKeyOf(day)] : []),
            String(limit),
            String(DAILY_TTL_MS),
            legacy ? '1' : '0',
            ...pairs,
          )) as number[];
          places.forEach((index, i) => (taken[index] = answers[i] === 1));
        }),
      );
      return taken;
    },
    async release(day, numbers) {
      if (numbers.length === 0) return;
      await Promise.all(
        groupsOf(day, numbers).map(({ keys, pairs }) => redis.eval(RELEASE, keys.length, ...keys, ...pairs)),
      );
    },
  };
}
