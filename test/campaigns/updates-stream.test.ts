import { afterAll, describe, expect, it, vi } from 'vitest';
import { sameTenant, type Caller } from '../../src/auth/caller.js';
import { EMPTY_COUNTS, type Campaign } from '../../src/campaigns/campaign.js';
import { campaignUpdates } from '../../src/graphql/campaigns/updates.js';
import { createLogger } from '../../src/observability/logger.js';
import { createRedisFeed } from '../../src/state/redis-feed.js';
import { createMemoryFeed, type Feed } from '../../src/util/feed.js';
import { contractRedis, twins } from '../helpers/store-contracts.js';

/**
 * promotionCampaignUpdates' stream, against the in-process campaign feed and the one over Redis pub/sub:
 * the campaign as it is first, then as it changes; the end once it is finished and its delivery counts
 * settled (or after the settle timeout); no lost announcement at the start; no listener left behind.
 */

const redis = contractRedis();
const logger = createLogger({ level: 'silent', pretty: false });
const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

const ACME: Caller = { sub: 'alice', tenant: 'acme', scopes: new Set() };
const OTHER: Caller = { sub: 'bob', tenant: 'other', scopes: new Set() };

interface Twin {
  readonly name: string;
  make(): [Feed<string>, Feed<string>];
}
const memory: Twin = {
  name: 'memory',
  make() {
    const feed = createMemoryFeed<string>((id) => id);
    closers.push(() => feed.close());
    return [feed, feed];
  },
};
const redisTwin: Twin = {
  name: 'redis',
  make() {
    const channel = `${redis.prefix()}v1:campaign-updates`;
    const options = { channel, keyOf: (id: string) => id, encode: (id: string) => id, decode: (raw: string) => raw };
    const made: [Feed<string>, Feed<string>] = [
      createRedisFeed(redis.client(), options, logger),
      createRedisFeed(redis.client(), options, logger),
    ];
    closers.push(...made.map((feed) => () => feed.close()));
    return made;
  },
};

let sequence = 0;

async function world(twin: Twin, settleMs = 60_000) {
  const [publishing, listening] = twin.make();
  let heard = false;
  const stop = listening.subscribe('probe', () => (heard = true));
  await vi.waitFor(
    async () => {
      await publishing.publish('probe');
      expect(heard).toBe(true);
    },
    { timeout: 5_000, interval: 25 },
  );
  stop();
  const id = `cmp-${(sequence += 1)}`;
  let campaign: Campaign = {
    ...EMPTY_COUNTS,
    id,
    tenant: 'acme',
    owner: { sub: 'alice', tenant: 'acme' },
    name: 'Spring',
    smsTemplateId: 'tpl',
    status: 'RUNNING',
    messagesPerSecond: 0,
    createdAt: new Date('2026-12-05T10:00:00Z'),
    batches: 1,
    generation: 0,
    recipients: 3,
  };
  let listeners = 0;
  let beforeRead: (() => Promise<void>) | undefined;
  const sources = {
    settleMs,
    updates: {
      subscribe(key: string, listener: (value: string) => void) {
        listeners += 1;
        const unsubscribe = listening.subscribe(key, listener);
        let stopped = false;
        return () => {
          if (!stopped) listeners -= 1;
          stopped = true;
          unsubscribe();
        };
      },
    },
    campaigns: {
      async get(caller: Caller, wanted: string) {
        await beforeRead?.();
        return wanted === id && sameTenant({ tenant: 'acme' }, caller) ? campaign : undefined;
      },
    },
  };
  return {
    id,
    sources,
    listeners: () => listeners,
    /** Changes the stored campaign, then announces it (as the stores and their announcers do). */
    async change(patch: Partial<Campaign>) {
      campaign = { ...campaign, ...patch };
      await publishing.publish(id);
    },
    set beforeRead(hook: (() => Promise<void>) | undefined) {
      beforeRead = hook;
    },
  };
}

const statusAndCounts = (campaign: Campaign) =>
  `${campaign.status} sent=${campaign.sent} delivered=${campaign.delivered} undelivered=${campaign.undelivered}`;

describe.each(twins(memory, redisTwin))(
  'promotionCampaignUpdates from the current state to the end ($name)',
  (twin) => {
    it('yields the campaign as it is first, then changes, including counts after COMPLETED; ends once settled', async () => {
      const w = await world(twin);
      const stream = (await campaignUpdates(w.sources, ACME, w.id))!;
      expect(statusAndCounts((await stream.next()).value as Campaign)).toBe('RUNNING sent=0 delivered=0 undelivered=0');
      const seen: string[] = [];
      const all = (async () => {
        for await (const campaign of stream) seen.push(statusAndCounts(campaign));
      })();
      await w.change({ status: 'COMPLETED', sent: 3, batchesDone: 1 });
      await vi.waitFor(() => expect(seen).toHaveLength(1));
      await w.change({ delivered: 1 });
      await vi.waitFor(() => expect(seen).toHaveLength(2));
      expect(w.listeners()).toBe(1);
      await w.change({ delivered: 2, undelivered: 1 });
      await all;
      expect(seen).toEqual([
        'COMPLETED sent=3 delivered=0 undelivered=0',
        'COMPLETED sent=3 delivered=1 undelivered=0',
        'COMPLETED sent=3 delivered=2 undelivered=1',
      ]);
      expect(w.listeners()).toBe(0);
    });

    it('a campaign already settled is yielded once and the stream ends, its listener gone', async () => {
      const w = await world(twin);
      await w.change({ status: 'CANCELLED', sent: 1, undelivered: 1 });
      const stream = (await campaignUpdates(w.sources, ACME, w.id))!;
      expect((await stream.next()).value).toMatchObject({ status: 'CANCELLED' });
      expect(w.listeners()).toBe(0);
      expect((await stream.next()).done).toBe(true);
    });

    it('messages whose reports never come: the stream ends after the settle timeout', async () => {
      const w = await world(twin, 200);
      await w.change({ status: 'COMPLETED', sent: 3, delivered: 1 });
      const stream = (await campaignUpdates(w.sources, ACME, w.id))!;
      expect((await stream.next()).value).toMatchObject({ status: 'COMPLETED', delivered: 1 });
      const started = performance.now();
      expect((await stream.next()).done).toBe(true);
      expect(performance.now() - started).toBeGreaterThanOrEqual(150);
      expect(w.listeners()).toBe(0);
    });

    it('unknown, or another tenant: undefined, and no listener left', async () => {
      const w = await world(twin);
      expect(await campaignUpdates(w.sources, OTHER, w.id)).toBeUndefined();
      expect(await campaignUpdates(w.sources, ACME, 'cmp-none')).toBeUndefined();
      expect(w.listeners()).toBe(0);
    });

    it('a client that completes the stream early frees its listener and its timer', async () => {
      const w = await world(twin, 60_000);
      await w.change({ status: 'COMPLETED', sent: 3 });
      const stream = (await campaignUpdates(w.sources, ACME, w.id))!;
      await stream.next();
      const pending = stream.next();
      await stream.return!();
      expect((await pending).done).toBe(true);
      expect(w.listeners()).toBe(0);
    });

    it('an announcement racing the first read is not lost: the settling change ends the stream', async () => {
      // The last report is counted and announced after the feed is subscribed, before the state is read
      // (then the read has it), and once more right after the read (then the feed brings it).
      for (const moment of ['between', 'after'] as const) {
        const x = await world(twin);
        await x.change({ status: 'COMPLETED', sent: 2, delivered: 1 });
        x.beforeRead = async () => {
          x.beforeRead = undefined;
          if (moment === 'between') await x.change({ delivered: 2 });
          else setTimeout(() => void x.change({ delivered: 2 }), 0);
        };
        const stream = (await campaignUpdates(x.sources, ACME, x.id))!;
        const seen: string[] = [];
        for await (const campaign of stream) seen.push(statusAndCounts(campaign));
        expect(seen.at(-1)).toBe('COMPLETED sent=2 delivered=2 undelivered=0');
        expect(new Set(seen).size).toBe(seen.length);
        expect(x.listeners()).toBe(0);
      }
    });
  },
);
