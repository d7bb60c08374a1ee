import { afterAll, describe, expect, it, vi } from 'vitest';
import type { DeliveryFeed } from '../../src/deliveries/feed.js';
import type { SentMessage } from '../../src/send/send-log.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMemoryDeliveryFeed } from '../../src/state/memory-deliveries.js';
import { createRedisDeliveryFeed } from '../../src/state/redis-deliveries.js';
import { contractRedis, twins } from '../helpers/store-contracts.js';

/**
 * The delivery feed contract (a `Feed` keyed by request id), run against the in-process feed and the
 * one over Redis pub/sub: a subscriber hears every change under its key, as published and in order,
 * whichever replica published it; nothing under other keys; nothing once it unsubscribed.
 */

const redis = contractRedis();
const logger = createLogger({ level: 'silent', pretty: false });
const feeds: DeliveryFeed[] = [];
afterAll(async () => {
  for (const feed of feeds) await feed.close();
});

interface Twin {
  readonly name: string;
  /** Two replicas' feeds (memory has one process: the same feed twice). */
  make(): [DeliveryFeed, DeliveryFeed];
}

const memory: Twin = {
  name: 'memory',
  make() {
    const feed = createMemoryDeliveryFeed();
    feeds.push(feed);
    return [feed, feed];
  },
};
const redisTwin: Twin = {
  name: 'redis',
  make() {
    const prefix = redis.prefix();
    const made: [DeliveryFeed, DeliveryFeed] = [
      createRedisDeliveryFeed(redis.client(), prefix, logger),
      createRedisDeliveryFeed(redis.client(), prefix, logger),
    ];
    feeds.push(...made);
    return made;
  },
};

const change = (requestId: string, messageId: string): SentMessage => ({
  messageId,
  endpoint: '+8613800000001',
  requestId,
  smsTemplateId: 'tpl-1',
  signId: 'sign-1',
  submittedAt: new Date('2026-12-01T09:00:00.000Z'),
  sentBy: { sub: 'client-1', tenant: 'acme' },
  delivery: {
    status: 'DELIVERED',
    carrierCode: 'DELIVRD',
    reportedAt: new Date('2026-12-01T09:00:05.000Z'),
    deliveredAt: new Date('2026-12-01T09:00:04.000Z'),
  },
});

/**
 * Resolves once `listening` hears what `publishing` publishes (a Redis feed subscribes once its own
 * connection is up): probes are published until one arrives.
 */
async function connected(publishing: DeliveryFeed, listening: DeliveryFeed): Promise<void> {
  let heard = false;
  const stop = listening.subscribe('probe', () => (heard = true));
  await vi.waitFor(
    async () => {
      await publishing.publish(change('probe', 'probe'));
      expect(heard).toBe(true);
    },
    { timeout: 5_000, interval: 25 },
  );
  stop();
}

describe.each(twins(memory, redisTwin))('the delivery feed contract ($name)', (twin) => {
  it('hands a subscriber every change under its key, as published and in order, from any replica', async () => {
    const [a, b] = twin.make();
    await connected(a, b);
    const heard: SentMessage[] = [];
    b.subscribe('req-1', (message) => heard.push(message));
    const changes = [change('req-1', 'm-1'), change('req-1', 'm-2'), change('req-1', 'm-3')];
    await a.publish(changes[0]!);
    await b.publish(change('req-other', 'm-9'));
    await a.publish(changes[1]!);
    await b.publish(changes[2]!);
    await vi.waitFor(() => expect(heard).toHaveLength(3), { timeout: 5_000, interval: 10 });
    expect(heard).toEqual(changes);
  });

  it('hands every subscriber of a key its own copy, and none after it unsubscribed', async () => {
    const [a, b] = twin.make();
    await connected(a, b);
    const first: string[] = [];
    const second: string[] = [];
    const stopFirst = b.subscribe('req-2', (message) => first.push(message.messageId));
    b.subscribe('req-2', (message) => second.push(message.messageId));
    await a.publish(change('req-2', 'm-1'));
    await vi.waitFor(() => expect(second).toEqual(['m-1']), { timeout: 5_000, interval: 10 });
    expect(first).toEqual(['m-1']);
    stopFirst();
    await a.publish(change('req-2', 'm-2'));
    // Changes arrive in the order published: once the second subscriber has m-2, the first had its chance.
    await vi.waitFor(() => expect(second).toEqual(['m-1', 'm-2']), { timeout: 5_000, interval: 10 });
    expect(first).toEqual(['m-1']);
  });
});
