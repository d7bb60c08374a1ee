import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisOptOutStore } from '../../src/state/redis-suppression-stores.js';
import { canonicalNumber } from '../../src/suppression/canonical-number.js';
import { REDIS_URL, redisForTests, uniquePrefix } from '../helpers/redis.js';

const available = await redisForTests();
const manual = JSON.stringify({ source: 'MANUAL', since: '2026-11-01T00:00:00.000Z' });
const replied = JSON.stringify({ source: 'SMS_REPLY', since: '2026-11-02T00:00:00.000Z' });

/** The hash a tenant's opt-outs live in, as the store names it (written to directly, as an older version left it). */
const listKey = (prefix: string, tenant: string) =>
  `${prefix}v1:optout:${createHash('sha256').update(tenant).digest('hex').slice(0, 32)}`;

describe.runIf(available)('the Redis opt-out store re-keys numbers stored in another form (real Redis)', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const prefix = (tail = '') => {
    const made = `${uniquePrefix()}${tail}`;
    prefixes.push(made);
    return made;
  };
  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    for (const made of prefixes) {
      const keys = await redis.keys(`${made.replace(/[*?[\]\\]/g, '\\$&')}*`);
      if (keys.length > 0) await redis.unlink(...keys);
    }
    redis.disconnect();
  });

  it('moves each to its canonical form in every tenant; the canonical record wins; unreadable ones stay', async () => {
    const mine = prefix();
    await redis.hset(listKey(mine, 'acme'), {
      '+86013845352978': manual,
      '+8613900001111': manual,
      '+860013900001111': replied,
      '+12345': manual,
    });
    await redis.hset(listKey(mine, ''), { '+860013845352978': replied });
    const store = createRedisOptOutStore(redis, mine);
    expect(await store.rekey(canonicalNumber, 'form 1')).toEqual({ upToDate: false, rekeyed: 3, unreadable: 1 });
    expect(await redis.hgetall(listKey(mine, 'acme'))).toEqual({
      '+8613845352978': manual,
      '+8613900001111': manual,
      '+12345': manual,
    });
    expect(await redis.hgetall(listKey(mine, ''))).toEqual({ '+8613845352978': replied });
    expect((await store.find('', ['+8613845352978'])).get('+8613845352978')).toEqual(JSON.parse(replied));
    // Done for this form (remembered in Redis, for every replica): the next start reads nothing.
    await redis.hset(listKey(mine, 'acme'), { '+86013800001234': manual });
    expect(await createRedisOptOutStore(redis, mine).rekey(canonicalNumber, 'form 1')).toEqual({
      upToDate: true,
      rekeyed: 0,
      unreadable: 0,
    });
    expect(await store.rekey(canonicalNumber, 'form 2')).toEqual({ upToDate: false, rekeyed: 1, unreadable: 1 });
  });

  it('replicas starting at once move each number once; another prefix (a glob in it, too) is not touched', async () => {
    const mine = prefix('a*[b]?:');
    const neighbour = prefix();
    const numbers = Array.from({ length: 3000 }, (_, index) => `+860139${String(index).padStart(8, '0')}`);
    for (const key of [listKey(mine, 'acme'), listKey(neighbour, 'acme')]) {
      await redis.hset(key, Object.fromEntries(numbers.map((number) => [number, manual])));
    }
    const replicas = [createRedisOptOutStore(redis, mine), createRedisOptOutStore(redis, mine)];
    const runs = await Promise.all(replicas.map((store) => store.rekey(canonicalNumber, 'form 1')));
    expect(runs.reduce((sum, run) => sum + run.rekeyed, 0)).toBe(3000);
    const fields = await redis.hkeys(listKey(mine, 'acme'));
    expect(fields.sort()).toEqual(numbers.map((number) => `+86${number.slice(4)}`).sort());
    expect((await redis.hkeys(listKey(neighbour, 'acme'))).sort()).toEqual([...numbers].sort());
  });
});
