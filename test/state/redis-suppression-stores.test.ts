import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRedisOptOutStore } from '../../src/state/redis-suppression-stores.js';
import { canonicalNumber } from '../../src/suppression/canonical-number.js';
import { contractRedis, redisReady } from '../helpers/store-contracts.js';

const available = redisReady;
const manual = JSON.stringify({ source: 'MANUAL', since: '2026-11-01T00:00:00.000Z' });
const replied = JSON.stringify({ source: 'SMS_REPLY', since: '2026-11-02T00:00:00.000Z' });

/** The hash a tenant's opt-outs live in, as the store names it (written to directly, as an older version left it). */
const listKey = (prefix: string, tenant: string) =>
  `${prefix}v1:optout:${createHash('sha256').update(tenant).digest('hex').slice(0, 32)}`;

describe.runIf(available)(
  'the Redis opt-out store re-keys numbers stored in another form, per tenant (real Redis)',
  () => {
    const shared = contractRedis();
    let redis: Redis;
    const prefix = (tail = '') => shared.prefix(tail);
    beforeAll(() => {
      redis = shared.client();
    });

    const canonical = (form: string) => ({ of: canonicalNumber, form });

    it("re-keys a tenant's list before its first use: the canonical record wins; unreadable ones stay", async () => {
      const mine = prefix();
      await redis.hset(listKey(mine, 'acme'), {
        '+86013845352978': manual,
        '+8613900001111': manual,
        '+860013900001111': replied,
        '+12345': manual,
      });
      await redis.hset(listKey(mine, 'globex'), { '+860013845352978': replied });
      const reports: unknown[] = [];
      const store = createRedisOptOutStore(redis, mine, canonical('form 1'), (counts) => reports.push(counts));
      const found = await store.find('acme', ['+8613845352978', '+8613900001111']);
      expect(found).toEqual(
        new Map([
          ['+8613845352978', JSON.parse(manual)],
          ['+8613900001111', JSON.parse(manual)],
        ]),
      );
      expect(reports).toEqual([{ rekeyed: 2, unreadable: 1 }]);
      expect(await redis.hgetall(listKey(mine, 'acme'))).toEqual({
        '+8613845352978': manual,
        '+8613900001111': manual,
        '+12345': manual,
      });
      // Another tenant's list is its own business: untouched until that tenant is served.
      expect(await redis.hkeys(listKey(mine, 'globex'))).toEqual(['+860013845352978']);
      expect((await store.remove('globex', ['+8613845352978'])).length).toBe(1);
      expect(reports).toEqual([
        { rekeyed: 2, unreadable: 1 },
        { rekeyed: 1, unreadable: 0 },
      ]);
      // Done for this form (a marker per tenant, for every replica): another store reads no list again.
      await redis.hset(listKey(mine, 'acme'), { '+86013800001234': manual });
      const later: unknown[] = [];
      const again = createRedisOptOutStore(redis, mine, canonical('form 1'), (counts) => later.push(counts));
      expect((await again.find('acme', ['+8613800001234'])).size).toBe(0);
      expect(later).toEqual([]);
      // A new reading (another library version) re-keys again.
      const next = createRedisOptOutStore(redis, mine, canonical('form 2'), (counts) => later.push(counts));
      expect((await next.find('acme', ['+8613800001234'])).size).toBe(1);
      expect(later).toEqual([{ rekeyed: 1, unreadable: 1 }]);
    });

    it('replicas serving one tenant at once move each number once; another prefix (a glob in it, too) is not touched', async () => {
      const mine = prefix('a*[b]?:');
      const neighbour = prefix();
      const numbers = Array.from({ length: 3000 }, (_, index) => `+860139${String(index).padStart(8, '0')}`);
      for (const key of [listKey(mine, 'acme'), listKey(neighbour, 'acme')]) {
        await redis.hset(key, Object.fromEntries(numbers.map((number) => [number, manual])));
      }
      let moved = 0;
      const count = ({ rekeyed }: { rekeyed: number }) => (moved += rekeyed);
      const replicas = [
        createRedisOptOutStore(redis, mine, canonical('form 1'), count),
        createRedisOptOutStore(redis, mine, canonical('form 1'), count),
      ];
      const first = `+86${numbers[0]!.slice(4)}`;
      const answers = await Promise.all(
        replicas.flatMap((store) => [store.find('acme', [first]), store.find('acme', [first])]),
      );
      for (const answer of answers) expect(answer.size).toBe(1);
      expect(moved).toBe(3000);
      const fields = await redis.hkeys(listKey(mine, 'acme'));
      expect(fields.sort()).toEqual(numbers.map((number) => `+86${number.slice(4)}`).sort());
      expect((await redis.hkeys(listKey(neighbour, 'acme'))).sort()).toEqual([...numbers].sort());
    });

    it('a failing re-key is not remembered: the next use tries again', async () => {
      const mine = prefix();
      await redis.hset(listKey(mine, 'acme'), { '+86013845352978': manual });
      let fail = true;
      const flaky = {
        of: (number: string) => {
          if (fail) throw new Error('store down');
          return canonicalNumber(number);
        },
        form: 'form 1',
      };
      const store = createRedisOptOutStore(redis, mine, flaky);
      await expect(store.find('acme', ['+8613845352978'])).rejects.toThrow('store down');
      fail = false;
      expect((await store.find('acme', ['+8613845352978'])).size).toBe(1);
    });
  },
);
