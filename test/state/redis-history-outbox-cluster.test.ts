import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { recordingSendLog } from '../../src/history/recording-send-log.js';
import { createRedisHistoryOutbox, type RedisHistoryOutbox } from '../../src/state/redis-history-outbox.js';
import { createRedisSendLog } from '../../src/state/redis-send-log.js';
import { uniquePrefix } from '../helpers/redis.js';
import { contractCluster, redisReady } from '../helpers/store-contracts.js';
import { heldBackEvent, sentRequest } from '../helpers/history-events.js';

/**
 * The history outbox on a Redis Cluster of this file's own: every command and script of the outbox
 * stays in one hash slot (no CROSSSLOT), the blocking read runs on its own Cluster connection, and the
 * send log, whose keys spread over many slots, leaves the history to recordingSendLog after the record.
 */

const cluster = contractCluster();
const at = new Date();
const suppressed = (count: number) => heldBackEvent(count, at);
const request = (requestId: string, count: number) => sentRequest(requestId, count, { submittedAt: at });

describe.runIf(redisReady)('the history outbox on a Redis Cluster', () => {
  const outboxes: RedisHistoryOutbox[] = [];
  afterAll(async () => {
    await Promise.all(outboxes.map((outbox) => outbox.close()));
  });
  const make = (keyPrefix: string, consumer = 'replica-a', claimIdleMs = 60_000) => {
    const outbox = createRedisHistoryOutbox(cluster.client(), {
      keyPrefix,
      maxEntries: 2,
      claimIdleMs,
      consumer,
      logger: pino({ level: 'silent' }),
    });
    outboxes.push(outbox);
    return outbox;
  };

  it('appends, counts drops, takes (blocking too), claims and acknowledges in one slot', async () => {
    const keyPrefix = uniquePrefix();
    const outbox = make(keyPrefix, 'replica-a', 200);
    await outbox.append([suppressed(1), suppressed(2), suppressed(3)]);
    expect(await outbox.stats()).toMatchObject({ entries: 2, dropped: 1 });
    const taken = await outbox.take(10, 0);
    expect(taken.map((entry) => entry.event)).toEqual([suppressed(1), suppressed(2)]);
    await new Promise((resolve) => setTimeout(resolve, 250));
    const other = make(keyPrefix, 'replica-b', 200);
    const claimed = await other.take(10, 0);
    expect(claimed.map((entry) => entry.id)).toEqual(taken.map((entry) => entry.id));
    await other.ack(claimed.map((entry) => entry.id));
    const waiting = other.take(10, 3_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await outbox.append([suppressed(4)]);
    expect((await waiting).map((entry) => entry.event)).toEqual([suppressed(4)]);
  });

  it('records a send over many slots, then appends its history through the outbox', async () => {
    const keyPrefix = uniquePrefix();
    const outbox = make(keyPrefix);
    const inner = createRedisSendLog(cluster.client(), keyPrefix, 60_000, { outbox });
    expect(inner.recordsHistory).toBe(false);
    const errors: unknown[] = [];
    const log = recordingSendLog(inner, outbox, {
      sendsInScript: inner.recordsHistory,
      onAppendError: (error) => errors.push(error),
    });
    const messages = request('rq1', 50);
    await log.record(messages);
    expect(await log.findMany(messages.map((message) => message.messageId))).toEqual(messages);
    expect((await outbox.take(10, 0)).map((entry) => entry.event)).toEqual([{ kind: 'sent', messages }]);
    expect(await log.maskEndpoint(['rq1-m0', 'rq1-m7', 'rq1-m49'], 'erased:x')).toBe(3);
    expect((await log.find('rq1-m7'))?.endpoint).toBe('erased:x');
    expect(errors).toEqual([]);
  });
});
