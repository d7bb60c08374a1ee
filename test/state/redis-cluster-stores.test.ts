import { createHash } from 'node:crypto';
import calculateSlot from 'cluster-key-slot';
import { describe, expect, it } from 'vitest';
import type { CampaignStatus } from '../../src/campaigns/campaign.js';
import type { NewCampaign } from '../../src/campaigns/campaign-store.js';
import type { SentMessage } from '../../src/send/send-log.js';
import type { RedisClient } from '../../src/state/redis-client.js';
import { createRedisCampaignStore } from '../../src/state/redis-campaign-store.js';
import { createRedisRecentRecipients } from '../../src/state/redis-deliveries.js';
import { createRedisSendLog, MESSAGE_BUCKETS } from '../../src/state/redis-send-log.js';
import { createRedisDailyCounterStore } from '../../src/state/redis-suppression-stores.js';
import { contractCluster, contractRedis, draftCampaign, redisReady } from '../helpers/store-contracts.js';

/**
 * The Redis stores on a Redis Cluster (3 primaries, 3 replicas of this file's own) and on the shared
 * standalone Redis, doing the same work with many keys at once: a Cluster refuses a script, transaction
 * or multi-key command across hash slots (CROSSSLOT), so each store must keep every one to one slot,
 * and both must answer alike. Also: a day's counts kept unsharded by an earlier version still count.
 */

const standalone = contractRedis();
const cluster = contractCluster();
const DAY = '2026-12-01';

interface Target {
  readonly name: string;
  client(): RedisClient;
  prefix(): string;
}

const targets: Target[] = [
  { name: 'standalone', client: () => standalone.client(), prefix: () => standalone.prefix() },
  { name: 'cluster', client: () => cluster.client(), prefix: () => `${standalone.prefix()}cluster:` },
];

const sentBy = { sub: 'alice', tenant: 'acme' };
const submittedAt = new Date('2026-12-01T08:00:00.000Z');
/** `count` messages of request `requestId`, each to its own number. */
const request = (requestId: string, count: number): SentMessage[] =>
  Array.from({ length: count }, (_, index) => ({
    messageId: `${requestId}-m${index}`,
    endpoint: `+86139${String(index).padStart(8, '0')}`,
    requestId,
    smsTemplateId: 'tpl',
    signId: 'sig',
    extendCode: undefined,
    submittedAt,
    sentBy,
    campaignId: undefined,
  }));

const draft = (tenant: string, offsetMs: number): NewCampaign => draftCampaign(tenant, new Date(Date.now() + offsetMs));

const numbers = (count: number, from = 0) =>
  Array.from({ length: count }, (_, n) => {
    const endpoint = `+86138${String(from + n + 1).padStart(8, '0')}`;
    return { endpoint, canonical: endpoint };
  });

/** The tenant's open set, as the campaign store names it. */
const openKey = (prefix: string, tenant: string) =>
  `${prefix}v1:campaign:open:${createHash('sha256').update(tenant).digest('hex')}`;

describe.runIf(redisReady).each(targets)('the Redis stores, many keys at once ($name)', (target) => {
  it('the send log records, finds and updates messages of many requests', async () => {
    const log = createRedisSendLog(target.client(), target.prefix(), 60_000);
    const requests = Array.from({ length: 20 }, (_, r) => request(`rq${r}`, 25));
    const messages = requests.flat();
    await log.record(messages);
    const ids = messages.map((message) => message.messageId);
    expect(await log.findMany([...ids, 'nope'])).toEqual([...messages, undefined]);
    for (const [r, sent] of requests.entries()) {
      expect(await log.findRequest(`rq${r}`)).toEqual({
        requestId: `rq${r}`,
        submittedAt,
        sentBy,
        messageIds: sent.map((message) => message.messageId),
      });
    }
    const delivered = { status: 'DELIVERED' as const, carrierCode: 'DELIVRD', reportedAt: new Date() };
    expect(await log.updateDelivery('rq7-m3', delivered)).toMatchObject({
      outcome: 'updated',
      message: { messageId: 'rq7-m3', requestId: 'rq7', delivery: delivered },
    });
    expect(await log.updateDelivery('rq7-m3', { status: 'FAILED' })).toMatchObject({ outcome: 'unchanged' });
    expect((await log.findMany(['rq7-m3', 'rq7-m4'])).map((message) => message?.delivery)).toEqual([
      delivered,
      undefined,
    ]);
  });

  it('the campaign store creates, limits, fills, runs and counts campaigns', async () => {
    const redis = target.client();
    const prefix = target.prefix();
    const store = createRedisCampaignStore(redis, prefix, 3_600_000);
    const key = { key: 'launch-1', hash: 'h1' };
    const first = await store.create(draft('acme', 0), 3, key);
    expect(first).toMatchObject({ outcome: 'created', campaign: { status: 'DRAFT', recipients: 0 } });
    const firstId = first.outcome === 'created' ? first.campaign.id : '';
    expect(await store.create(draft('acme', 1), 3, key)).toMatchObject({
      outcome: 'replayed',
      campaign: { id: firstId },
    });
    expect(await store.create(draft('acme', 2), 3, { key: 'launch-1', hash: 'h2' })).toEqual({
      outcome: 'key-reused',
    });
    const second = draft('acme', 3);
    const third = draft('acme', 4);
    expect((await store.create(second, 3)).outcome).toBe('created');
    expect((await store.create(third, 3)).outcome).toBe('created');
    // Full: a refused create keeps no idempotency key.
    expect(await store.create(draft('acme', 5), 3, { key: 'launch-2', hash: 'h1' })).toEqual({
      outcome: 'limit-reached',
      open: 3,
    });

    // A campaign that runs to the end.
    expect(await store.addRecipients(firstId, [...numbers(1500), ...numbers(10)], 10_000)).toEqual({
      outcome: 'added',
      added: 1500,
      duplicates: 10,
    });
    const scheduled = await store.transition(firstId, ['DRAFT'], {
      status: 'SCHEDULED',
      startAt: new Date(Date.now() + 60_000),
    });
    expect(scheduled).toMatchObject({ changed: true, campaign: { status: 'SCHEDULED' } });
    const started = await store.transition(firstId, ['SCHEDULED'], {
      status: 'RUNNING',
      startedAt: new Date(),
      fixBatches: true,
    });
    expect(started).toMatchObject({ changed: true, campaign: { status: 'RUNNING', batches: 2 } });
    // A started campaign keeps its create key for good (another slot than its record).
    expect(await redis.pttl(`${prefix}v1:campaign:create:launch-1`)).toBe(-1);
    expect(await store.batch(firstId, 1)).toHaveLength(500);
    const none = { sent: 0, failed: 0, suppressed: 0, unknown: 0, failures: [] };
    expect(await store.recordBatch(firstId, 0, { ...none, sent: 1000 }, new Date())).toMatchObject({
      recorded: true,
      completed: false,
    });
    const failure = { status: 'failed' as const, endpoint: '+8613800000001', code: 'X', message: 'no' };
    expect(
      await store.recordBatch(firstId, 1, { ...none, sent: 499, failed: 1, failures: [failure] }, new Date()),
    ).toMatchObject({ recorded: true, completed: true, campaign: { status: 'COMPLETED', sent: 1499, failed: 1 } });
    expect(await store.failures(firstId, 0, 10)).toEqual({ failures: [failure], total: 1 });
    // Finished: the create key expires with its campaign.
    expect(await redis.pttl(`${prefix}v1:campaign:create:launch-1`)).toBeGreaterThan(0);

    // The finished campaign's place is taken back when the set is full (exact only then).
    const fourth = draft('acme', 6);
    expect(await store.create(fourth, 3, { key: 'launch-2', hash: 'h1' })).toMatchObject({ outcome: 'created' });
    await store.transition(second.id, ['DRAFT'], { status: 'CANCELLED', finishedAt: new Date() });
    // A draft whose record is gone (expired) frees its place too.
    await redis.del(`${prefix}v1:campaign:{${third.id}}`);
    expect((await store.create(draft('acme', 7), 3)).outcome).toBe('created');
    expect((await store.create(draft('acme', 8), 3)).outcome).toBe('created');
    expect((await store.create(draft('acme', 9), 3)).outcome).toBe('limit-reached');

    const listed = await store.list('acme', { first: 10 });
    expect(listed.campaigns.map((campaign) => campaign.status)).toEqual([
      'DRAFT',
      'DRAFT',
      'DRAFT',
      'CANCELLED',
      'COMPLETED',
    ]);
    const cancelled = await store.list('acme', { first: 10, status: 'CANCELLED' });
    expect(cancelled.campaigns.map((campaign) => campaign.id)).toEqual([second.id]);
    const counts: Partial<Record<CampaignStatus, number>> = await store.statusCounts();
    // The deleted draft is still counted (nothing saw it go); every other status adds up.
    expect(counts).toEqual({ DRAFT: 4, SCHEDULED: 0, RUNNING: 0 });
  });

  it('an admitted create still writing its record keeps its place; one that died long ago does not', async () => {
    const redis = target.client();
    const prefix = target.prefix();
    const store = createRedisCampaignStore(redis, prefix, 3_600_000);
    const open = openKey(prefix, 'acme');
    // In flight: admitted a moment ago (the server's time), no record yet.
    const [seconds] = await redis.time();
    await redis.zadd(open, Number(seconds) * 1000, 'cmp_in_flight');
    expect(await store.create(draft('acme', 0), 1)).toEqual({ outcome: 'limit-reached', open: 1 });
    // Admitted long past the grace: its create died before writing the record.
    await redis.zadd(open, 1, 'cmp_in_flight');
    expect((await store.create(draft('acme', 1), 1)).outcome).toBe('created');
  });

  it('the daily counter reserves and releases many numbers across its shards', async () => {
    const store = createRedisDailyCounterStore(target.client(), target.prefix());
    const many = Array.from({ length: 100 }, (_, n) => `+86137${String(n * 7).padStart(8, '0')}`);
    expect(await store.reserve(DAY, [...many, ...many], 2)).toEqual(new Array(200).fill(true));
    expect(await store.reserve(DAY, [many[0]!, many[50]!], 2)).toEqual([false, false]);
    await store.release(DAY, many.slice(0, 50));
    expect(await store.reserve(DAY, many, 2)).toEqual(many.map((_, n) => n < 50));
    // Everyone at 2 of 4 now: five concurrent calls take exactly the 2 x 100 left.
    const answers = await Promise.all(Array.from({ length: 5 }, () => store.reserve(DAY, many, 4)));
    expect(answers.flat().filter(Boolean)).toHaveLength(200);
  });

  it('recent recipients remember numbers of many buckets at once', async () => {
    const prefix = target.prefix();
    const store = createRedisRecentRecipients(target.client(), prefix);
    const at = Date.now();
    const sent = Array.from({ length: 60 }, (_, n) => ({
      number: `+86138${String(n % 30).padStart(8, '0')}`,
      tenant: n < 30 ? 'acme' : 'globex',
      at,
    }));
    await store.remember(sent);
    const found = await store.near('86', '0007', at - 1);
    expect(found.map((recipient) => recipient.tenant).sort()).toEqual(['acme', 'globex']);
    expect(await target.client().pttl(`${prefix}v1:recent:0007`)).toBeGreaterThan(0);
  });
});

describe.runIf(redisReady)('daily counts an earlier version kept unsharded (standalone)', () => {
  it('still count today, read only: a release gives back from the shards', async () => {
    const redis = standalone.client();
    const prefix = standalone.prefix();
    const number = '+8613800000001';
    await redis.hset(`${prefix}v1:daily:${DAY}`, number, '2');
    const store = createRedisDailyCounterStore(redis, prefix);
    expect(await store.reserve(DAY, [number, number], 3)).toEqual([true, false]);
    await store.release(DAY, [number, number]);
    expect(await store.reserve(DAY, [number, number], 3)).toEqual([true, false]);
    expect(await redis.hget(`${prefix}v1:daily:${DAY}`, number)).toBe('2');
    // Another day, or another number, owes nothing to it.
    expect(await store.reserve('2026-12-02', [number, number], 3)).toEqual([true, true]);
  });
});

describe.runIf(redisReady)('the send log on a Cluster: a send in a few scripts, earlier keys still found', () => {
  /** Counts the commands `work` sends through the client (a script is one, whatever it does inside). */
  const commandsOf = async (redis: RedisClient, work: () => Promise<unknown>): Promise<number> => {
    const client = redis as unknown as { sendCommand(command: unknown): unknown };
    const original = client.sendCommand;
    let count = 0;
    client.sendCommand = function (this: unknown, command: unknown) {
      count += 1;
      return original.call(this, command);
    };
    try {
      await work();
    } finally {
      client.sendCommand = original;
    }
    return count;
  };

  it('records a 1000-message send in at most one script per bucket, not a command per message', async () => {
    const log = createRedisSendLog(cluster.client(), `${standalone.prefix()}buckets:`, 60_000);
    const messages = request('big', 1000);
    const commands = await commandsOf(cluster.client(), () => log.record(messages));
    // MESSAGE_BUCKETS scripts for the messages, the send's fields and the request: a few more at most.
    expect(commands).toBeLessThanOrEqual(MESSAGE_BUCKETS + 2);
    expect(await log.findMany(messages.map((message) => message.messageId))).toEqual(messages);
  });

  it('finds, updates and masks a message kept under the key of 0.2.0 (before the buckets)', async () => {
    const prefix = `${standalone.prefix()}legacy:`;
    const redis = cluster.client();
    const log = createRedisSendLog(redis, prefix, 60_000);
    const [message] = request('old', 1) as [SentMessage];
    const id = message.messageId;
    await log.record([message]);
    // Move the message to where 0.2.0 kept it: `v2:sent:<id>`, no hash tag.
    const bucketed = `${prefix}v2:sent:{s${calculateSlot(id) % MESSAGE_BUCKETS}}${id}`;
    const value = await redis.get(bucketed);
    expect(value).not.toBeNull();
    await redis.del(bucketed);
    await redis.set(`${prefix}v2:sent:${id}`, value!, 'PX', 60_000);

    expect(await log.find(id)).toEqual(message);
    const delivered = { status: 'DELIVERED' as const, carrierCode: 'DELIVRD', reportedAt: new Date() };
    expect(await log.updateDelivery(id, delivered)).toMatchObject({ outcome: 'updated' });
    expect((await log.find(id))?.delivery).toEqual(delivered);
    expect(await log.maskEndpoint([id], '+86139****0000')).toBe(1);
    expect((await log.find(id))?.endpoint).toBe('+86139****0000');
    expect(await redis.exists(bucketed)).toBe(0);
  });
});
