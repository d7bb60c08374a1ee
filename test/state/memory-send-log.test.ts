import { describe, expect, it } from 'vitest';
import { createMemorySendLog } from '../../src/state/memory-send-log.js';
import type { SentMessage } from '../../src/send/send-log.js';

const message = (messageId: string, submittedAt = new Date()): SentMessage => ({
  messageId,
  endpoint: '+8613800000001',
  requestId: 'rid',
  smsTemplateId: 'tpl',
  submittedAt,
});

describe('the in-memory send log', () => {
  it('finds what it recorded and nothing else', async () => {
    const log = createMemorySendLog({ maxEntries: 10, ttlMs: 60_000 });
    const a = message('a');
    await log.record([a, message('b')]);
    expect(await log.find('a')).toEqual(a);
    expect(await log.find('zzz')).toBeUndefined();
  });

  it('is bounded in size: never more than maxEntries, the oldest leave first', async () => {
    const log = createMemorySendLog({ maxEntries: 4, ttlMs: 60_000 });
    for (const [index, id] of ['a', 'b', 'c', 'd', 'e', 'f', 'g'].entries()) {
      await log.record([message(id)]);
      expect(log.size).toBeLessThanOrEqual(4);
      if (index >= 3) expect(log.size).toBeGreaterThanOrEqual(2);
    }
    expect(await log.find('a')).toBeUndefined();
    expect(await log.find('g')).toBeDefined();
    expect(await log.find('f')).toBeDefined();
  });

  it('takes a 1000-message batch into a 50000-message log without losing recent batches', async () => {
    const log = createMemorySendLog({ maxEntries: 50_000, ttlMs: 60_000 });
    for (let batch = 0; batch < 120; batch += 1) {
      await log.record(Array.from({ length: 1000 }, (_, index) => message(`${batch}-${index}`)));
    }
    expect(log.size).toBeLessThanOrEqual(50_000);
    expect(log.size).toBeGreaterThanOrEqual(25_000);
    for (let batch = 95; batch < 120; batch += 1) expect(await log.find(`${batch}-999`)).toBeDefined();
    expect(await log.find('0-0')).toBeUndefined();
  });

  it('forgets a message once its TTL has passed since it was submitted', async () => {
    let now = 1_000_000;
    const log = createMemorySendLog({ maxEntries: 10, ttlMs: 1_000, clock: { now: () => new Date(now) } });
    await log.record([message('a', new Date(now))]);
    now += 999;
    expect(await log.find('a')).toBeDefined();
    now += 2;
    expect(await log.find('a')).toBeUndefined();
    expect(log.size).toBe(0);
  });

  it('lets expired messages leave memory, not only hides them', async () => {
    let now = 1_000_000;
    const log = createMemorySendLog({ maxEntries: 1000, ttlMs: 1_000, clock: { now: () => new Date(now) } });
    await log.record([message('a', new Date(now)), message('b', new Date(now))]);
    expect(log.retained).toBe(2);
    now += 1_000;
    await log.record([message('c', new Date(now))]);
    expect(await log.find('c')).toBeDefined();
    now += 1_000;
    await log.record([]);
    expect(log.retained).toBe(1); // a and b are gone; c (now expired too) goes at the next turn
    now += 1_000;
    await log.record([]);
    expect(log.retained).toBe(0);
    log.close();
  });
});

describe('the in-memory send log keeps a send once, not once per message', () => {
  const sentBy = { sub: 'alice', tenant: 'acme' };
  const submittedAt = new Date();
  const batch = (requestId: string, count: number, extra: Partial<SentMessage> = {}): SentMessage[] =>
    Array.from({ length: count }, (_, index) => ({
      messageId: `${requestId}-${index}`,
      endpoint: `+86139000${String(index).padStart(5, '0')}`,
      requestId,
      smsTemplateId: 'tpl',
      signId: 'sig',
      submittedAt,
      sentBy,
      campaignId: 'cmp_1',
      ...extra,
    }));

  it('answers every message of a batch with all its own fields, and its request with every id', async () => {
    const log = createMemorySendLog({ maxEntries: 10_000, ttlMs: 60_000 });
    const messages = batch('r1', 1000);
    await log.record(messages);
    for (const index of [0, 1, 500, 999]) expect(await log.find(`r1-${index}`)).toEqual(messages[index]);
    expect(await log.findMany(['r1-3', 'nope', 'r1-998'])).toEqual([messages[3], undefined, messages[998]]);
    expect(await log.findRequest('r1')).toEqual({
      requestId: 'r1',
      submittedAt,
      sentBy,
      messageIds: messages.map((message) => message.messageId),
    });
  });

  it('keeps messages that differ in what a send shares apart, even in one record()', async () => {
    const log = createMemorySendLog({ maxEntries: 100, ttlMs: 60_000 });
    const first = batch('r2', 2);
    const other = batch('r2', 2, { messageId: undefined as never, smsTemplateId: 'tpl_other', extendCode: 'x' }).map(
      (message, index) => ({ ...message, messageId: `other-${index}` }),
    );
    await log.record([...first, ...other]);
    expect(await log.find('r2-1')).toEqual(first[1]);
    expect(await log.find('other-0')).toEqual(other[0]);
  });

  it('applies a delivery report to one message of a batch only, first final status wins', async () => {
    const log = createMemorySendLog({ maxEntries: 100, ttlMs: 60_000 });
    await log.record(batch('r3', 3));
    const delivered = { status: 'DELIVERED' as const, carrierCode: 'DELIVRD', reportedAt: new Date() };
    expect(await log.updateDelivery('r3-1', delivered)).toMatchObject({ outcome: 'updated' });
    expect((await log.find('r3-1'))?.delivery).toEqual(delivered);
    expect((await log.find('r3-0'))?.delivery).toBeUndefined();
    expect((await log.find('r3-2'))?.delivery).toBeUndefined();
    expect(await log.updateDelivery('r3-1', { status: 'FAILED' })).toMatchObject({
      outcome: 'unchanged',
      message: { messageId: 'r3-1', delivery: delivered },
    });
    expect(await log.updateDelivery('nope', delivered)).toEqual({ outcome: 'unknown' });
  });

  it('stays within its bound when one batch is larger than a generation', async () => {
    const log = createMemorySendLog({ maxEntries: 10, ttlMs: 60_000 });
    await log.record(batch('big', 25));
    expect(log.size).toBeLessThanOrEqual(10);
    expect(await log.find('big-24')).toBeDefined();
    expect(await log.find('big-0')).toBeUndefined();
    expect((await log.findRequest('big'))?.messageIds).toHaveLength(25);
  });

  it('finds messages recorded before and after a lookup (ids are indexed as they are asked for)', async () => {
    const log = createMemorySendLog({ maxEntries: 12, ttlMs: 60_000 });
    const first = batch('i1', 4);
    await log.record(first);
    expect(await log.find('i1-3')).toEqual(first[3]);
    const second = batch('i2', 4);
    await log.record(second);
    expect(await log.find('i2-0')).toEqual(second[0]);
    expect(await log.find('i1-0')).toEqual(first[0]);
    const third = batch('i3', 4); // fills the generation (6) mid-batch: it spans two
    await log.record(third);
    for (const message of [...first, ...second, ...third].slice(-6)) {
      expect(await log.find(message.messageId)).toEqual(message);
    }
    expect(log.size).toBeLessThanOrEqual(12);
  });
});
