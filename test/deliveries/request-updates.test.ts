import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import type { DeliveryFeed } from '../../src/deliveries/feed.js';
import { applyReport } from '../../src/deliveries/reports.js';
import { requestUpdates } from '../../src/deliveries/request-updates.js';
import { createLogger } from '../../src/observability/logger.js';
import type { SentMessage } from '../../src/send/send-log.js';
import { createSentMessages, type SentMessages } from '../../src/send/sent-messages.js';
import { createMemoryDeliveryFeed } from '../../src/state/memory-deliveries.js';
import { createMemorySendLog } from '../../src/state/memory-send-log.js';
import { createRedisDeliveryFeed } from '../../src/state/redis-deliveries.js';
import { contractRedis, twins } from '../helpers/store-contracts.js';

/**
 * smsDeliveryUpdates' use case, against the in-process feed and the one over Redis pub/sub: the
 * stream starts from the state (final messages first), goes on with changes, ends when every message
 * is final, hands each message out once however a report races the subscription's start, and leaves
 * no listener behind.
 */

const redis = contractRedis();
const logger = createLogger({ level: 'silent', pretty: false });
const closers: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const close of closers) await close();
});

const ACME: Caller = { sub: 'alice', tenant: 'acme', scopes: new Set() };
const OTHER: Caller = { sub: 'bob', tenant: 'other', scopes: new Set() };

interface Twin {
  readonly name: string;
  /** The feed reports are published on, and the one the subscriber listens to (two replicas over Redis). */
  make(): [DeliveryFeed, DeliveryFeed];
}
const memory: Twin = {
  name: 'memory',
  make() {
    const feed = createMemoryDeliveryFeed();
    closers.push(() => feed.close());
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
    closers.push(...made.map((feed) => () => feed.close()));
    return made;
  },
};

let sequence = 0;

/** A request of `count` messages by ACME in a fresh send log, reports applied through the real use case. */
async function world(twin: Twin, count: number) {
  const [publishing, listening] = twin.make();
  const sendLog = createMemorySendLog({ maxEntries: 1_000, ttlMs: 600_000 });
  closers.push(() => sendLog.close());
  const requestId = `req-${(sequence += 1)}`;
  const messages: SentMessage[] = Array.from({ length: count }, (_, index) => ({
    messageId: `${requestId}-m${index}`,
    endpoint: `+86138000000${String(index).padStart(2, '0')}`,
    requestId,
    smsTemplateId: 'tpl',
    submittedAt: new Date(),
    sentBy: { sub: 'alice', tenant: 'acme' },
  }));
  await sendLog.record(messages);
  // The Redis subscriber connection is up once a probe comes through.
  let heard = false;
  const stop = listening.subscribe('probe', () => (heard = true));
  await vi.waitFor(
    async () => {
      await publishing.publish({ ...messages[0]!, requestId: 'probe' });
      expect(heard).toBe(true);
    },
    { timeout: 5_000, interval: 25 },
  );
  stop();
  let listeners = 0;
  const counted: DeliveryFeed = {
    ...listening,
    subscribe(key, listener) {
      listeners += 1;
      const unsubscribe = listening.subscribe(key, listener);
      let stopped = false;
      return () => {
        if (!stopped) listeners -= 1;
        stopped = true;
        unsubscribe();
      };
    },
  };
  const sentMessages = createSentMessages(sendLog);
  const report = (index: number, carrierCode = 'DELIVRD') =>
    applyReport(
      { sendLog, feed: publishing, logger },
      { messageId: messages[index]!.messageId, success: carrierCode === 'DELIVRD', carrierCode },
    );
  return { requestId, messages, sentMessages, feed: counted, listeners: () => listeners, report };
}

/** Everything the stream yields until it ends. */
async function drain(stream: AsyncIterableIterator<SentMessage>): Promise<string[]> {
  const seen: string[] = [];
  for await (const message of stream) seen.push(`${message.messageId}:${message.delivery?.status}`);
  return seen;
}

describe.each(twins(memory, redisTwin))('smsDeliveryUpdates from the current state to the end ($name)', (twin) => {
  it('yields the messages already final first, then changes, and ends when all are final', async () => {
    const w = await world(twin, 3);
    await w.report(1, 'UNDELIV');
    const stream = (await requestUpdates(w, ACME, w.requestId))!;
    const first = await stream.next();
    expect(first.value).toMatchObject({ messageId: w.messages[1]!.messageId, delivery: { status: 'FAILED' } });
    const rest = drain(stream);
    await w.report(0);
    await w.report(2);
    expect(await rest).toEqual([`${w.messages[0]!.messageId}:DELIVERED`, `${w.messages[2]!.messageId}:DELIVERED`]);
    expect(w.listeners()).toBe(0);
  });

  it('a request already final yields its messages and ends, having released its listener before the first read', async () => {
    const w = await world(twin, 2);
    await w.report(0);
    await w.report(1, 'EXPIRED');
    const stream = (await requestUpdates(w, ACME, w.requestId))!;
    expect(w.listeners()).toBe(0);
    expect(await drain(stream)).toEqual([
      `${w.messages[0]!.messageId}:DELIVERED`,
      `${w.messages[1]!.messageId}:EXPIRED`,
    ]);
  });

  it("another tenant's request id, or an oversized one, is unknown, and leaves no listener behind", async () => {
    const w = await world(twin, 1);
    expect(await requestUpdates(w, OTHER, w.requestId)).toBeUndefined();
    expect(await requestUpdates(w, ACME, 'never-sent')).toBeUndefined();
    // Oversized: answered unknown without a lookup, and no listener kept under the huge key.
    expect(await requestUpdates(w, ACME, `${w.requestId}${'x'.repeat(100_000)}`)).toBeUndefined();
    expect(w.listeners()).toBe(0);
  });

  it('a subscriber that stops early releases its listener', async () => {
    const w = await world(twin, 2);
    const stream = (await requestUpdates(w, ACME, w.requestId))!;
    expect(w.listeners()).toBe(1);
    await stream.return!();
    expect(w.listeners()).toBe(0);
  });

  it('a report racing the start of the subscription is handed out exactly once, whichever way it lands', async () => {
    // The report lands before the feed is subscribed, between subscribing and reading, and after the read.
    for (const moment of ['before', 'between', 'after'] as const) {
      const w = await world(twin, 2);
      const reading: Pick<SentMessages, 'request' | 'ownsRequest'> = {
        ownsRequest: (caller, id) => w.sentMessages.ownsRequest(caller, id),
        async request(caller, id) {
          if (moment === 'between') await w.report(0);
          const own = await w.sentMessages.request(caller, id);
          if (moment === 'after') await w.report(0);
          return own;
        },
      };
      if (moment === 'before') await w.report(0);
      const stream = (await requestUpdates({ sentMessages: reading, feed: w.feed }, ACME, w.requestId))!;
      const all = drain(stream);
      await w.report(1, 'UNDELIV');
      expect({ moment, seen: (await all).sort() }).toEqual({
        moment,
        seen: [`${w.messages[0]!.messageId}:DELIVERED`, `${w.messages[1]!.messageId}:FAILED`],
      });
      expect(w.listeners()).toBe(0);
    }
  });

  it('many reports racing many subscription starts: every message exactly once, every stream ends', async () => {
    const w = await world(twin, 20);
    const streams = Promise.all(
      Array.from({ length: 10 }, async () => drain((await requestUpdates(w, ACME, w.requestId))!)),
    );
    await Promise.all(w.messages.map((_, index) => w.report(index)));
    for (const seen of await streams) {
      expect(seen.sort()).toEqual(w.messages.map((message) => `${message.messageId}:DELIVERED`).sort());
    }
    expect(w.listeners()).toBe(0);
  });
});
