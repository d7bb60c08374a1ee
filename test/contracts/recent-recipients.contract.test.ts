import { describe, expect, it } from 'vitest';
import { REPLY_WINDOW_MS, type RecentRecipient, type RecentRecipientsStore } from '../../src/send/recent-recipients.js';
import { createMemoryRecentRecipients } from '../../src/state/memory-recent-recipients.js';
import { createRedisRecentRecipients } from '../../src/state/redis-deliveries.js';
import { contractRedis, manualClock, redisReady, twins } from '../helpers/store-contracts.js';

/**
 * The RecentRecipientsStore contract, run against the memory store and the Redis one: a send's
 * numbers are found by country code and last four digits (what a masked reply shows), per tenant,
 * only while younger than `since`; remembering a number again for a tenant keeps the newer send.
 */

const redis = contractRedis();

interface Made {
  readonly store: RecentRecipientsStore;
  now(): number;
}

interface Twin {
  readonly name: string;
  make(): Made;
}

const memory: Twin = {
  name: 'memory',
  make() {
    const clock = manualClock();
    return { store: createMemoryRecentRecipients(clock), now: clock.ms };
  },
};
const redisTwin: Twin = {
  name: 'redis',
  make: () => ({ store: createRedisRecentRecipients(redis.client(), redis.prefix()), now: Date.now }),
};

/** Found recipients in one order, whatever order a store keeps them in. */
const sorted = (found: readonly RecentRecipient[]) =>
  [...found].sort((a, b) => `${a.number}|${a.tenant}`.localeCompare(`${b.number}|${b.tenant}`));

describe.each(twins(memory, redisTwin))('the recent recipients contract ($name)', (twin) => {
  it('finds the numbers sent to by country code and last four digits, for every tenant that sent', async () => {
    const { store, now } = twin.make();
    const at = now();
    const sent: RecentRecipient[] = [
      { number: '+8613812348888', tenant: 'acme', signId: 'sign-1', at },
      { number: '+8613912348888', tenant: 'acme', signId: 'sign-1', at },
      { number: '+8613812348888', tenant: 'globex', signId: 'sign-2', at },
      { number: '+14155558888', tenant: 'acme', at },
      { number: '+8613812347777', tenant: 'acme', signId: 'sign-1', at },
    ];
    await store.remember(sent);
    const since = at - REPLY_WINDOW_MS;
    expect(sorted(await store.near('86', '8888', since))).toEqual(sorted(sent.slice(0, 3)));
    expect(await store.near('1', '8888', since)).toEqual([sent[3]]);
    expect(await store.near('86', '0000', since)).toEqual([]);
    expect(await store.near('44', '8888', since)).toEqual([]);
    await store.remember([]);
  });

  it('keeps the newer send when a tenant sends to a number again', async () => {
    const { store, now } = twin.make();
    const at = now();
    await store.remember([{ number: '+8613812348888', tenant: 'acme', signId: 'sign-1', at: at - 60_000 }]);
    const again = { number: '+8613812348888', tenant: 'acme', signId: 'sign-2', at };
    await store.remember([again]);
    expect(await store.near('86', '8888', at - REPLY_WINDOW_MS)).toEqual([again]);
  });

  it('finds only sends younger than `since`', async () => {
    const { store, now } = twin.make();
    const at = now();
    const old = { number: '+8613812348888', tenant: 'acme', at: at - 2 * 3_600_000 };
    const recent = { number: '+8613912348888', tenant: 'acme', at: at - 60_000 };
    await store.remember([old, recent]);
    expect(await store.near('86', '8888', at - 3_600_000)).toEqual([recent]);
    expect(sorted(await store.near('86', '8888', at - 3 * 3_600_000))).toEqual(sorted([old, recent]));
  });
});

describe('recent recipients past the reply window', () => {
  it('the memory store forgets them', async () => {
    const clock = manualClock();
    const store = createMemoryRecentRecipients(clock);
    await store.remember([{ number: '+8613812348888', tenant: 'acme', at: clock.ms() }]);
    clock.advance(REPLY_WINDOW_MS + 1);
    expect(await store.near('86', '8888', 0)).toEqual([]);
  });

  it.runIf(redisReady)('Redis lets their bucket go the reply window after its last send', async () => {
    const prefix = redis.prefix();
    await createRedisRecentRecipients(redis.client(), prefix).remember([
      { number: '+8613812348888', tenant: 'acme', at: Date.now() },
    ]);
    const ttl = await redis.client().pttl(`${prefix}v1:recent:8888`);
    expect(ttl).toBeGreaterThan(REPLY_WINDOW_MS - 60_000);
    expect(ttl).toBeLessThanOrEqual(REPLY_WINDOW_MS);
  });
});
