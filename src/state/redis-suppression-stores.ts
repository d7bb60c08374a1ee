import { createHash } from 'node:crypto';
import type { ChainableCommander } from 'ioredis';
import type { RedisClient } from './redis-client.js';
import type { DurableWrites } from './redis-durability.js';
import type { DailyCounterStore } from '../suppression/daily-counter-store.js';
import type { CanonicalForm, OptOutRecord, OptOutStore, RekeyedOptOuts } from '../suppression/opt-out-store.js';

/** Sets each field not set yet; returns how many it set. ARGV[1] is the value, the rest the fields. */
const ADD_NEW = `local added = 0
for i = 2, #ARGV do added = added + redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[1]) end
return added`;

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
 * Takes one send per field (in order; a field may repeat) while under ARGV[1]; answers 1 where taken,
 * 0 where the day's limit was reached. ARGV[2] is the key's lifetime in ms.
 */
const RESERVE = `local limit = tonumber(ARGV[1])
local taken = {}
for i = 3, #ARGV do
  if redis.call('HINCRBY', KEYS[1], ARGV[i], 1) > limit then
    redis.call('HINCRBY', KEYS[1], ARGV[i], -1)
    taken[#taken + 1] = 0
  else
    taken[#taken + 1] = 1
  end
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return taken`;

/** Gives back one send per field, never below zero. */
const RELEASE = `for i = 1, #ARGV do
  if redis.call('HINCRBY', KEYS[1], ARGV[i], -1) <= 0 then redis.call('HDEL', KEYS[1], ARGV[i]) end
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
      if (numbers.length === 0) return 0;
      await inCanonicalForm(tenant);
      return Number(
        await write((client) => client.eval(ADD_NEW, 1, keyOf(tenant), JSON.stringify(record), ...numbers)),
      );
    },
    async remove(tenant, numbers) {
      if (numbers.length === 0) return 0;
      await inCanonicalForm(tenant);
      return Number(await write((client) => client.hdel(keyOf(tenant), ...numbers)));
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

/** Daily counters shared by every replica: one hash per day, number -> accepted sends. */
export function createRedisDailyCounterStore(redis: RedisClient, keyPrefix: string): DailyCounterStore {
  const keyOf = (day: string) => `${keyPrefix}v1:daily:${day}`;
  return {
    async reserve(day, numbers, limit) {
      if (numbers.length === 0) return [];
      const taken = (await redis.eval(
        RESERVE,
        1,
        keyOf(day),
        String(limit),
        String(DAILY_TTL_MS),
        ...numbers,
      )) as number[];
      return taken.map((value) => value === 1);
    },
    async release(day, numbers) {
      if (numbers.length === 0) return;
      await redis.eval(RELEASE, 1, keyOf(day), ...numbers);
    },
  };
}
