import type { Redis } from 'ioredis';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRedisSendLog } from '../../src/state/redis-send-log.js';
import type { SentMessage } from '../../src/send/send-log.js';
import { contractRedis, redisReady } from '../helpers/store-contracts.js';

const available = redisReady;
const sentBy = { sub: 'alice', tenant: 'acme' };
const submittedAt = new Date('2026-11-29T08:00:00.000Z');
const batch = (requestId: string, count: number): SentMessage[] =>
  Array.from({ length: count }, (_, index) => ({
    messageId: `${requestId}-m${index}`,
    endpoint: `+86139000${String(index).padStart(5, '0')}`,
    requestId,
    smsTemplateId: 'tpl',
    signId: 'sig',
    extendCode: undefined,
    submittedAt,
    sentBy,
    campaignId: 'cmp_1',
  }));

describe.runIf(available)('the Redis send log keeps a send once, each message as a small reference', () => {
  const shared = contractRedis();
  let redis: Redis;
  const prefix = shared.prefix();
  beforeAll(() => {
    redis = shared.client();
  });

  it('answers every message with all its fields, its request with every id; each message small', async () => {
    const log = createRedisSendLog(redis, prefix, 60_000);
    const messages = batch('rq1', 1000);
    await log.record(messages);
    for (const index of [0, 1, 999]) expect(await log.find(`rq1-m${index}`)).toEqual(messages[index]);
    expect(await log.findMany(['rq1-m5', 'nope', 'rq1-m998'])).toEqual([messages[5], undefined, messages[998]]);
    expect(await log.findRequest('rq1')).toEqual({
      requestId: 'rq1',
      submittedAt,
      sentBy,
      messageIds: messages.map((message) => message.messageId),
    });
    const bytes = Number(await redis.memory('USAGE', `${prefix}v2:sent:rq1-m1`));
    expect(bytes).toBeLessThan(160);
    expect(await redis.pttl(`${prefix}v2:sent:rq1-m1`)).toBeGreaterThan(59_000);
    expect(await redis.pttl(`${prefix}v2:send:rq1`)).toBeGreaterThan(59_000);
  });

  it('applies a delivery report to one message only; the first final status wins', async () => {
    const log = createRedisSendLog(redis, prefix, 60_000);
    await log.record(batch('rq2', 3));
    const delivered = { status: 'DELIVERED' as const, carrierCode: 'DELIVRD', reportedAt: new Date() };
    expect(await log.updateDelivery('rq2-m1', delivered)).toMatchObject({
      outcome: 'updated',
      message: { messageId: 'rq2-m1', endpoint: '+8613900000001', smsTemplateId: 'tpl', delivery: delivered },
    });
    expect((await log.find('rq2-m1'))?.delivery).toEqual(delivered);
    expect((await log.find('rq2-m0'))?.delivery).toBeUndefined();
    expect(await log.updateDelivery('rq2-m1', { status: 'FAILED' })).toMatchObject({
      outcome: 'unchanged',
      message: { delivery: delivered },
    });
    expect(await log.updateDelivery('never', delivered)).toEqual({ outcome: 'unknown' });
  });

  it('stores a message that differs from the rest of its request in full', async () => {
    const log = createRedisSendLog(redis, prefix, 60_000);
    const [first, second] = batch('rq3', 2);
    const odd = { ...second!, smsTemplateId: 'tpl_other', extendCode: '12' };
    await log.record([first!, odd]);
    expect(await log.find('rq3-m0')).toEqual(first);
    expect(await log.find('rq3-m1')).toEqual(odd);
  });
});
