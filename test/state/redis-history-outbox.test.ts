import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { encodeEvent } from '../../src/history/events.js';
import {
  createRedisHistoryOutbox,
  decodeComposedSent,
  HISTORY_GROUP,
  historyOutboxKeys,
  type RedisHistoryOutbox,
  type RedisHistoryOutboxOptions,
} from '../../src/state/redis-history-outbox.js';
import { createRedisSendLog } from '../../src/state/redis-send-log.js';
import { LogCapture } from '../helpers/log-capture.js';
import { REDIS_URL, startPrivateRedis, uniquePrefix } from '../helpers/redis.js';
import { redisReady } from '../helpers/store-contracts.js';
import { heldBackEvent, sentRequest } from '../helpers/history-events.js';

/**
 * The durable history outbox on the shared Redis (a key prefix per test, its keys deleted by name at
 * the end): append, take, ack and stats; a full outbox drops and counts, never trims; a consumer that
 * dies leaves its entries to another after the claim idle time; a consumer's own pending entries come
 * back first; a lost group is made again; an entry no version can read is acknowledged; the send log's
 * record writes a send and its history in one EVAL (and, refused for memory, neither).
 */

const at = new Date('2026-12-05T09:00:00.000Z');
const suppressed = (count: number) => heldBackEvent(count, at);
const request = (requestId: string, count: number) =>
  sentRequest(requestId, count, { signId: 'sig', extendCode: undefined, submittedAt: at, campaignId: 'cmp_1' });

describe.runIf(redisReady)('the Redis history outbox', () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const outboxes: RedisHistoryOutbox[] = [];
  const capture = new LogCapture();
  const logger = pino({ level: 'debug' }, capture);
  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    await Promise.all(outboxes.map((outbox) => outbox.close()));
    for (const prefix of prefixes) {
      const { stream, dropped } = historyOutboxKeys(prefix);
      await redis.unlink(stream, dropped);
    }
    redis.disconnect();
  });

  const make = (options: Partial<RedisHistoryOutboxOptions> = {}, client: Redis = redis) => {
    const keyPrefix = options.keyPrefix ?? uniquePrefix();
    if (!prefixes.includes(keyPrefix)) prefixes.push(keyPrefix);
    const outbox = createRedisHistoryOutbox(client, {
      keyPrefix,
      maxEntries: 100,
      claimIdleMs: 60_000,
      consumer: 'replica-a',
      logger,
      ...options,
    });
    outboxes.push(outbox);
    return outbox;
  };

  it('appends, takes, acknowledges (XACK and XDEL) and reports its size and oldest entry', async () => {
    const outbox = make();
    expect(outbox.durable).toBe(true);
    expect(await outbox.stats()).toEqual({ entries: 0, oldestAt: undefined, dropped: 0 });
    const before = Date.now();
    await outbox.append([suppressed(1), suppressed(2), suppressed(3)]);
    const stats = await outbox.stats();
    expect(stats.entries).toBe(3);
    expect(stats.oldestAt).toBeGreaterThanOrEqual(before - 5);
    expect(stats.oldestAt).toBeLessThanOrEqual(Date.now() + 5);
    const taken = await outbox.take(10, 100);
    expect(taken.map((entry) => entry.event)).toEqual([suppressed(1), suppressed(2), suppressed(3)]);
    for (const entry of taken) expect(entry.appendedAt).toBe(Number(entry.id.split('-')[0]));
    await outbox.ack(taken.map((entry) => entry.id));
    expect(await outbox.stats()).toEqual({ entries: 0, oldestAt: undefined, dropped: 0 });
    expect(await redis.xlen(outbox.keys.stream)).toBe(0);
    expect(await redis.xpending(outbox.keys.stream, HISTORY_GROUP)).toEqual([0, null, null, null]);
  });

  it('keeps both keys in one hash slot, whatever the prefix', () => {
    const slot = (key: string) => /\{([^}]+)\}/.exec(key)?.[1];
    const plain = historyOutboxKeys('smn:');
    expect(slot(plain.stream)).toBe('outbox');
    expect(slot(plain.dropped)).toBe('outbox');
    const tagged = historyOutboxKeys('{smn}:');
    expect(slot(tagged.stream)).toBe('smn');
    expect(slot(tagged.dropped)).toBe('smn');
  });

  it('when full, counts the events it drops and trims nothing', async () => {
    const outbox = make({ maxEntries: 3 });
    await outbox.append([suppressed(1), suppressed(2)]);
    await outbox.append([suppressed(3), suppressed(4), suppressed(5)]);
    await outbox.append([suppressed(6)]);
    expect(await outbox.stats()).toMatchObject({ entries: 3, dropped: 3 });
    const taken = await outbox.take(10, 0);
    expect(taken.map((entry) => entry.event)).toEqual([suppressed(1), suppressed(2), suppressed(3)]);
    await outbox.ack(taken.map((entry) => entry.id));
    await outbox.append([suppressed(7)]);
    expect(await outbox.stats()).toMatchObject({ entries: 1, dropped: 3 });
  });

  it("takes a consumer's own pending entries first: a failed write is retried", async () => {
    const outbox = make();
    await outbox.append([suppressed(1), suppressed(2), suppressed(3)]);
    const first = await outbox.take(2, 0);
    expect(first.map((entry) => entry.event)).toEqual([suppressed(1), suppressed(2)]);
    await outbox.append([suppressed(4)]);
    // Not acknowledged (the write failed): the same two again, before anything new.
    const again = await outbox.take(2, 0);
    expect(again.map((entry) => entry.id)).toEqual(first.map((entry) => entry.id));
    await outbox.ack(again.map((entry) => entry.id));
    const rest = await outbox.take(10, 0);
    expect(rest.map((entry) => entry.event)).toEqual([suppressed(3), suppressed(4)]);
  });

  it('gives what a consumer took and never acknowledged (it died) to another after claimIdleMs', async () => {
    const keyPrefix = uniquePrefix();
    const dying = make({ keyPrefix, consumer: 'replica-a', claimIdleMs: 300 });
    const survivor = make({ keyPrefix, consumer: 'replica-b', claimIdleMs: 300 });
    await dying.append([suppressed(1), suppressed(2)]);
    const lost = await dying.take(10, 0);
    expect(lost).toHaveLength(2);
    // Too early: they are replica-a's for now.
    expect(await survivor.take(10, 50)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const claimed = await survivor.take(10, 0);
    expect(claimed.map((entry) => entry.id)).toEqual(lost.map((entry) => entry.id));
    expect(claimed.map((entry) => entry.event)).toEqual([suppressed(1), suppressed(2)]);
    await survivor.ack(claimed.map((entry) => entry.id));
    expect((await survivor.stats()).entries).toBe(0);
  });

  it('blocks on a connection of its own and wakes on an append; the shared one keeps answering', async () => {
    const outbox = make();
    await outbox.take(10, 0); // creates the group
    const started = Date.now();
    const waiting = outbox.take(10, 3_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const pingStarted = Date.now();
    expect(await redis.ping()).toBe('PONG');
    expect(Date.now() - pingStarted).toBeLessThan(500);
    await outbox.append([suppressed(9)]);
    const taken = await waiting;
    expect(taken.map((entry) => entry.event)).toEqual([suppressed(9)]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('makes its group again when Redis lost it (NOGROUP) and reads what came since', async () => {
    const outbox = make();
    await outbox.append([suppressed(1)]);
    await outbox.ack((await outbox.take(10, 0)).map((entry) => entry.id));
    await redis.del(outbox.keys.stream); // the data is gone, the group with it
    await outbox.append([suppressed(2)]);
    const taken = await outbox.take(10, 0);
    expect(taken.map((entry) => entry.event)).toEqual([suppressed(2)]);
    expect(capture.text).toContain('history outbox consumer group missing');
  });

  it('acknowledges an entry it cannot read, logged once, and goes on', async () => {
    const outbox = make();
    await outbox.append([suppressed(1)]);
    await redis.xadd(outbox.keys.stream, '*', 'e', '{"k":"zz"}');
    await redis.xadd(outbox.keys.stream, '*', 'e', 'not json');
    await outbox.append([suppressed(2)]);
    const taken = await outbox.take(10, 0);
    expect(taken.map((entry) => entry.event)).toEqual([suppressed(1), suppressed(2)]);
    expect(await redis.xlen(outbox.keys.stream)).toBe(2);
    const logged = capture
      .entries()
      .filter((line) => line.msg === 'history outbox entry this version cannot read: discarded');
    expect(logged).toHaveLength(2);
  });

  it("the send log's record writes the messages and their history entry in one EVAL", async () => {
    const outbox = make();
    const keyPrefix = prefixes.at(-1)!;
    const log = createRedisSendLog(redis, keyPrefix, 60_000, { outbox });
    expect(log.recordsHistory).toBe(true);
    const messages = request('rq1', 1000);
    const evals = vi.spyOn(redis, 'eval');
    try {
      await log.record(messages);
      expect(evals).toHaveBeenCalledTimes(1);
    } finally {
      evals.mockRestore();
    }
    expect(await log.find('rq1-m999')).toEqual(messages[999]);
    const raw = await redis.xrange(outbox.keys.stream, '-', '+');
    expect(raw).toHaveLength(1);
    // Composed by the script from the values it stored: the send, the request, the references.
    const [, fields] = raw[0]!;
    expect(fields.filter((_, index) => index % 2 === 0)).toEqual(['s', 'q', 'm']);
    expect(fields[1]).toBe(await redis.get(`${keyPrefix}v2:send:rq1`));
    expect(fields[3]).toBe(await redis.get(`${keyPrefix}v1:request:rq1`));
    expect(fields[5]!.split('},{')).toHaveLength(1000);
    expect(decodeComposedSent(fields[1]!, fields[3]!, fields[5]!)).toEqual({ kind: 'sent', messages });
    const taken = await outbox.take(10, 0);
    expect(taken.map((entry) => entry.event)).toEqual([{ kind: 'sent', messages }]);
  });

  it('a record of several requests, or with a message stored in full, carries its events encoded', async () => {
    const outbox = make();
    const log = createRedisSendLog(redis, prefixes.at(-1)!, 60_000, { outbox });
    const odd = { ...request('rq7', 3)[2]!, smsTemplateId: 'other' };
    const first = [...request('rq7', 2), odd];
    const second = [...request('rq8', 2), ...request('rq9', 2)];
    await log.record(first);
    await log.record(second);
    const raw = await redis.xrange(outbox.keys.stream, '-', '+');
    expect(raw.map(([, fields]) => fields[0])).toEqual(['e', 'e', 'e', 'e']);
    const taken = await outbox.take(10, 0);
    expect(taken.map((entry) => entry.event)).toEqual([
      { kind: 'sent', messages: first.slice(0, 2) },
      { kind: 'sent', messages: [odd] },
      { kind: 'sent', messages: second.slice(0, 2) },
      { kind: 'sent', messages: second.slice(2) },
    ]);
    expect(await log.find('rq7-m2')).toEqual(odd);
  });

  it('still reads a sent entry in the encoded form (written before the script composed them)', async () => {
    const outbox = make();
    const messages = request('rq10', 3);
    await redis.xadd(outbox.keys.stream, '*', 'e', encodeEvent({ kind: 'sent', messages }));
    const taken = await outbox.take(10, 0);
    expect(taken.map((entry) => entry.event)).toEqual([{ kind: 'sent', messages }]);
  });

  it('a composed entry whose request and messages do not match is acknowledged, not written', async () => {
    const outbox = make();
    await redis.xadd(
      outbox.keys.stream,
      '*',
      's',
      '{"smsTemplateId":"t","submittedAt":"2026-12-05T09:00:00.000Z"}',
      'q',
      '{"requestId":"rq11","messageIds":["a","b"]}',
      'm',
      '{"r":"rq11","e":"+8613900000000"}',
    );
    await outbox.append([suppressed(3)]);
    const taken = await outbox.take(10, 0);
    expect(taken.map((entry) => entry.event)).toEqual([suppressed(3)]);
    expect(await redis.xlen(outbox.keys.stream)).toBe(1);
  });

  it('a full outbox does not stop the send: recorded, the event counted as dropped', async () => {
    const outbox = make({ maxEntries: 1 });
    const log = createRedisSendLog(redis, prefixes.at(-1)!, 60_000, { outbox });
    await log.record(request('rq2', 3));
    await log.record(request('rq3', 3));
    expect(await log.find('rq3-m2')).toEqual(request('rq3', 3)[2]);
    expect(await outbox.stats()).toMatchObject({ entries: 1, dropped: 1 });
  });

  it('masks the number of stored messages, keeping their time to live', async () => {
    const keyPrefix = uniquePrefix();
    const log = createRedisSendLog(redis, keyPrefix, 60_000);
    const messages = request('rq4', 3);
    // One whose send fields differ is stored in full: masked as well.
    const odd = { ...request('rq4', 4)[3]!, smsTemplateId: 'other' };
    await log.record([...messages, odd]);
    const replacement = 'erased:abc123';
    expect(await log.maskEndpoint(['rq4-m0', 'rq4-m3', 'nope'], replacement)).toBe(2);
    expect((await log.find('rq4-m0'))?.endpoint).toBe(replacement);
    expect(await log.find('rq4-m3')).toEqual({ ...odd, endpoint: replacement });
    expect(await log.find('rq4-m1')).toEqual(messages[1]);
    expect(await redis.pttl(`${keyPrefix}v2:sent:rq4-m0`)).toBeGreaterThan(50_000);
    expect(await redis.pttl(`${keyPrefix}v2:sent:rq4-m3`)).toBeGreaterThan(50_000);
    expect(await log.maskEndpoint(['rq4-m0'], replacement)).toBe(0);
    const delivered = { status: 'DELIVERED' as const, carrierCode: 'DELIVRD', reportedAt: at };
    expect(await log.updateDelivery('rq4-m0', delivered)).toMatchObject({
      outcome: 'updated',
      message: { endpoint: replacement, delivery: delivered },
    });
  });

  it('refused for memory, the record leaves neither the messages nor the history entry', async () => {
    const server = await startPrivateRedis();
    const client = new Redis(server.url);
    try {
      const outbox = make({}, client);
      const log = createRedisSendLog(client, prefixes.at(-1)!, 60_000, { outbox });
      await client.config('SET', 'maxmemory', '1');
      await expect(log.record(request('rq5', 10))).rejects.toThrow(/OOM/);
      await client.config('SET', 'maxmemory', '0');
      expect(await client.exists(`${prefixes.at(-1)!}v2:sent:rq5-m0`, `${prefixes.at(-1)!}v1:request:rq5`)).toBe(0);
      expect(await client.xlen(outbox.keys.stream)).toBe(0);
      await outbox.close();
    } finally {
      client.disconnect();
      await server.stop();
    }
  });

  it('a broken outbox key fails the record before anything is written', async () => {
    const outbox = make();
    const keyPrefix = prefixes.at(-1)!;
    const log = createRedisSendLog(redis, keyPrefix, 60_000, { outbox });
    await redis.set(outbox.keys.stream, 'not a stream');
    await expect(log.record(request('rq6', 3))).rejects.toThrow(/WRONGTYPE/);
    expect(await redis.exists(`${keyPrefix}v2:sent:rq6-m0`, `${keyPrefix}v2:send:rq6`)).toBe(0);
  });

  it('encodes what it appends with encodeEvent (field e)', async () => {
    const outbox = make();
    await outbox.append([suppressed(4)]);
    const raw = await redis.xrange(outbox.keys.stream, '-', '+');
    expect(raw[0]![1]).toEqual(['e', encodeEvent(suppressed(4))]);
  });
});
