import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRedisSeenEnvelopes } from '../../src/state/redis-deliveries.js';
import { contractRedis, redisReady } from '../helpers/store-contracts.js';

const available = redisReady;
const WEEK_MS = 7 * 86_400_000;

describe.runIf(available)('handled SMN envelopes in Redis, keyed on the digest of what SMN signed', () => {
  const shared = contractRedis();
  let redis: Redis;
  const prefix = shared.prefix();
  beforeAll(() => {
    redis = shared.client();
  });

  it('a marked digest is seen on every replica for a week', async () => {
    const a = createRedisSeenEnvelopes(redis, prefix);
    const b = createRedisSeenEnvelopes(redis, prefix);
    const key = { digest: 'a'.repeat(64) };
    expect(await b.seen(key)).toBe(false);
    await a.mark(key);
    expect(await b.seen(key)).toBe(true);
    expect(await b.seen({ digest: 'b'.repeat(64) })).toBe(false);
    expect(await redis.keys(`${prefix}*`)).toEqual([`${prefix}v2:smn-event:${'a'.repeat(64)}`]);
    const ttl = await redis.pttl(`${prefix}v2:smn-event:${'a'.repeat(64)}`);
    expect(ttl).toBeGreaterThan(WEEK_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(WEEK_MS);
  });
});
