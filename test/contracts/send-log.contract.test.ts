import { afterAll, describe, expect, it } from 'vitest';
import type { DeliveryState, SendLog, SentMessage } from '../../src/send/send-log.js';
import { createMemorySendLog } from '../../src/state/memory-send-log.js';
import { createRedisSendLog } from '../../src/state/redis-send-log.js';
import { contractRedis, manualClock, twins, untilExpired } from '../helpers/store-contracts.js';

/**
 * The SendLog contract, run against the memory log and the Redis one: what is recorded is found as
 * it was given (one message, many, a request), a delivery report applies once (the first final status
 * wins, whichever replica it reaches), and everything is gone after the log's time to live.
 */

const redis = contractRedis();
const HOUR_MS = 3_600_000;
/** Redis keeps real time: the time to live the expiry tests wait out there. */
const SHORT_TTL_MS = 600;

interface Made {
  readonly log: SendLog;
  now(): number;
  /** Lets the time to live pass: the memory twin's clock moves, Redis expires its keys. */
  expire(): Promise<void>;
}

interface Twin {
  readonly name: string;
  make(ttlMs?: number): Made;
}

const closers: Array<() => void> = [];
afterAll(() => closers.forEach((close) => close()));

const memory: Twin = {
  name: 'memory',
  make(ttlMs = HOUR_MS) {
    const clock = manualClock();
    const log = createMemorySendLog({ maxEntries: 10_000, ttlMs, clock });
    closers.push(() => log.close());
    return { log, now: clock.ms, expire: () => Promise.resolve(clock.advance(ttlMs + 1)) };
  },
};

const redisTwin: Twin = {
  name: 'redis',
  make(ttlMs = HOUR_MS) {
    const prefix = redis.prefix();
    return {
      log: createRedisSendLog(redis.client(), prefix, ttlMs),
      now: Date.now,
      expire: () => untilExpired(redis, prefix),
    };
  },
};

const delivered = (at: number): DeliveryState => ({
  status: 'DELIVERED',
  carrierCode: 'DELIVRD',
  reportedAt: new Date(at + 2_000),
  deliveredAt: new Date(at + 1_000),
});

describe.each(twins(memory, redisTwin))('the send log contract ($name)', (twin) => {
  /** The messages of one SMN call. */
  const send = (made: Made, requestId: string, count: number, fields: Partial<SentMessage> = {}): SentMessage[] =>
    Array.from({ length: count }, (_, n) => ({
      messageId: `${requestId}-m${n}`,
      endpoint: `+86138${String(n + 1).padStart(8, '0')}`,
      requestId,
      smsTemplateId: 'tpl-1',
      signId: 'sign-1',
      extendCode: '01',
      submittedAt: new Date(made.now()),
      sentBy: { sub: 'client-1', tenant: 'acme' },
      ...fields,
    }));

  it('finds each message recorded as it was given, and nothing it was not given', async () => {
    const made = twin.make();
    const messages = send(made, 'req-1', 3, { campaignId: 'cmp_1' });
    await made.log.record(messages);
    expect(await made.log.find('req-1-m1')).toEqual(messages[1]);
    expect(await made.log.find('req-1-m9')).toBeUndefined();
    expect(await made.log.findMany(['req-1-m2', 'nope', 'req-1-m0'])).toEqual([messages[2], undefined, messages[0]]);
    expect(await made.log.findMany([])).toEqual([]);
  });

  it('keeps a message with no signature, tenant or campaign without inventing them', async () => {
    const made = twin.make();
    const [message] = send(made, 'req-bare', 1, {
      signId: undefined,
      extendCode: undefined,
      sentBy: { sub: 'client-2' },
    });
    await made.log.record([message!]);
    const found = await made.log.find(message!.messageId);
    expect(found).toEqual(message);
    expect(found?.sentBy).toEqual({ sub: 'client-2' });
    expect(found?.campaignId).toBeUndefined();
    expect(found?.delivery).toBeUndefined();
  });

  it('finds the request of a send: its messages in the order they were sent, when, and by whom', async () => {
    const made = twin.make();
    const messages = send(made, 'req-2', 4);
    await made.log.record(messages);
    expect(await made.log.findRequest('req-2')).toEqual({
      requestId: 'req-2',
      submittedAt: messages[0]!.submittedAt,
      messageIds: ['req-2-m0', 'req-2-m1', 'req-2-m2', 'req-2-m3'],
      sentBy: { sub: 'client-1', tenant: 'acme' },
    });
    expect(await made.log.findRequest('req-unknown')).toBeUndefined();
  });

  it('keeps the later of a request recorded twice', async () => {
    const made = twin.make();
    await made.log.record(send(made, 'req-3', 3));
    const again = send(made, 'req-3', 2, { sentBy: { sub: 'client-9', tenant: 'acme' } });
    await made.log.record(again);
    expect(await made.log.findRequest('req-3')).toMatchObject({
      messageIds: ['req-3-m0', 'req-3-m1'],
      sentBy: { sub: 'client-9', tenant: 'acme' },
    });
    expect(await made.log.find('req-3-m1')).toEqual(again[1]);
  });

  it('keeps a final delivery recorded with a message, and reads SUBMITTED as no report yet', async () => {
    const made = twin.make();
    const [reported, submitted] = send(made, 'req-4', 2);
    const delivery = delivered(made.now());
    await made.log.record([
      { ...reported!, delivery },
      { ...submitted!, delivery: { status: 'SUBMITTED' } },
    ]);
    expect(await made.log.find(reported!.messageId)).toEqual({ ...reported, delivery });
    expect((await made.log.find(submitted!.messageId))?.delivery).toBeUndefined();
  });

  it('applies the first final report and keeps it against every later one', async () => {
    const made = twin.make();
    const [message] = send(made, 'req-5', 1);
    await made.log.record([message!]);
    const first = delivered(made.now());
    expect(await made.log.updateDelivery(message!.messageId, first)).toEqual({
      outcome: 'updated',
      message: { ...message, delivery: first },
    });
    const late: DeliveryState = { status: 'FAILED', carrierCode: 'UNDELIV', reportedAt: new Date(made.now() + 9_000) };
    expect(await made.log.updateDelivery(message!.messageId, late)).toEqual({
      outcome: 'unchanged',
      message: { ...message, delivery: first },
    });
    expect(await made.log.find(message!.messageId)).toEqual({ ...message, delivery: first });
    expect(await made.log.updateDelivery('req-5-m9', first)).toEqual({ outcome: 'unknown' });
  });

  it('lets a final report replace a SUBMITTED one', async () => {
    const made = twin.make();
    const [message] = send(made, 'req-6', 1);
    await made.log.record([message!]);
    expect((await made.log.updateDelivery(message!.messageId, { status: 'SUBMITTED' })).outcome).toBe('updated');
    const final: DeliveryState = { status: 'EXPIRED', carrierCode: 'EXPIRED' };
    expect((await made.log.updateDelivery(message!.messageId, final)).outcome).toBe('updated');
    expect((await made.log.find(message!.messageId))?.delivery).toEqual(final);
  });

  it('applies one of several reports racing for the same message', async () => {
    const made = twin.make();
    const [message] = send(made, 'req-7', 1);
    await made.log.record([message!]);
    const statuses = ['DELIVERED', 'FAILED', 'REJECTED', 'EXPIRED', 'UNKNOWN'] as const;
    const outcomes = await Promise.all(
      statuses.map((status) => made.log.updateDelivery(message!.messageId, { status })),
    );
    const applied = outcomes.filter((outcome) => outcome.outcome === 'updated');
    expect(applied).toHaveLength(1);
    const winner = applied[0]!.outcome === 'updated' ? applied[0]!.message.delivery : undefined;
    expect((await made.log.find(message!.messageId))?.delivery).toEqual(winner);
    for (const outcome of outcomes.filter((each) => each.outcome === 'unchanged')) {
      expect(outcome).toMatchObject({ message: { delivery: winner } });
    }
  });

  it('forgets messages and requests after the time to live; a report does not extend it', async () => {
    const made = twin.make(SHORT_TTL_MS);
    const messages = send(made, 'req-8', 2);
    await made.log.record(messages);
    expect((await made.log.updateDelivery('req-8-m0', delivered(made.now()))).outcome).toBe('updated');
    await made.expire();
    expect(await made.log.find('req-8-m0')).toBeUndefined();
    expect(await made.log.findMany(['req-8-m0', 'req-8-m1'])).toEqual([undefined, undefined]);
    expect(await made.log.findRequest('req-8')).toBeUndefined();
    expect(await made.log.updateDelivery('req-8-m1', delivered(made.now()))).toEqual({ outcome: 'unknown' });
  });

  // Not how publish records (one SMN call's messages share every send field), but the interface
  // allows it, and a clock that ticks while messages are built does it: a message differing from its
  // send keeps its own fields, and its request lists every message (the memory log once kept only the
  // last run of alike messages, which lost the first reports of smsDeliveryUpdates in a test).
  it('keeps a message that differs from the rest of its send, and its request lists every message', async () => {
    const made = twin.make();
    const [a, b, c, d] = send(made, 'req-9', 4);
    const differing = { ...b!, campaignId: 'cmp_other' };
    const later = { ...d!, submittedAt: new Date(made.now() + 1) };
    await made.log.record([a!, differing, c!, later]);
    expect(await made.log.findMany(['req-9-m0', 'req-9-m1', 'req-9-m2', 'req-9-m3'])).toEqual([a, differing, c, later]);
    expect(await made.log.findRequest('req-9')).toEqual({
      requestId: 'req-9',
      submittedAt: a!.submittedAt,
      messageIds: ['req-9-m0', 'req-9-m1', 'req-9-m2', 'req-9-m3'],
      sentBy: { sub: 'client-1', tenant: 'acme' },
    });
  });
});
