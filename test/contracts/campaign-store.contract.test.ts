import { describe, expect, it } from 'vitest';
import { ErrorCode, ResultCode } from '../../src/error-codes.js';
import { newCampaignId, type CampaignStatus } from '../../src/campaigns/campaign.js';
import type { CampaignStore, NewCampaign, RecipientEntry } from '../../src/campaigns/campaign-store.js';
import { createMemoryCampaignStore } from '../../src/state/memory-campaign-store.js';
import { createRedisCampaignStore } from '../../src/state/redis-campaign-store.js';
import { contractRedis, draftCampaign, manualClock, twins, untilExpired } from '../helpers/store-contracts.js';

/**
 * The CampaignStore contract, run against the memory store and the Redis one (its Lua scripts in
 * redis-campaign-scripts.ts): creation and the open-campaign limit, idempotent creates, listing,
 * recipients, status changes, batch counting, pacing slots, delivery counts, failures, status counts
 * and retention, each stated once and held to by both.
 */

const redis = contractRedis();
const HOUR_MS = 3_600_000;
/** Redis keeps real time: the retention the expiry tests wait out there. */
const SHORT_RETENTION_MS = 1_000;

interface Made {
  readonly store: CampaignStore;
  /** Now, as the store sees it (creation times are taken from it). */
  now(): number;
  /** Lets the retention period pass: the memory twin's clock moves, Redis expires its keys. */
  expire(): Promise<void>;
}

interface Twin {
  readonly name: string;
  make(retentionMs?: number): Made;
}

const memory: Twin = {
  name: 'memory',
  make(retentionMs = HOUR_MS) {
    const clock = manualClock();
    return {
      store: createMemoryCampaignStore({ retentionMs, clock }),
      now: clock.ms,
      expire: () => Promise.resolve(clock.advance(retentionMs + 1)),
    };
  },
};

const redisTwin: Twin = {
  name: 'redis',
  make(retentionMs = HOUR_MS) {
    const prefix = redis.prefix();
    return {
      store: createRedisCampaignStore(redis.client(), prefix, retentionMs),
      now: Date.now,
      expire: () => untilExpired(redis, prefix),
    };
  },
};

const numbers = (count: number, from = 0): RecipientEntry[] =>
  Array.from({ length: count }, (_, n) => {
    const endpoint = `+86138${String(from + n + 1).padStart(8, '0')}`;
    return { endpoint, canonical: endpoint };
  });

/** A failure as the batch runner records it (a number SMN did not take). */
const failure = (endpoint: string) => ({
  status: 'failed' as const,
  endpoint,
  code: ResultCode.NO_RESULT,
  message: 'no result',
});

describe.each(twins(memory, redisTwin))('the campaign store contract ($name)', (twin) => {
  /** A new draft, created `offsetMs` after the store's now (ids sort by creation time). */
  const draft = (made: Made, tenant = 'acme', offsetMs = 0): NewCampaign =>
    draftCampaign(tenant, new Date(made.now() + offsetMs));
  const created = async (made: Made, campaign = draft(made), maxOpen = 10) => {
    const outcome = await made.store.create(campaign, maxOpen);
    if (outcome.outcome !== 'created') throw new Error(`not created: ${outcome.outcome}`);
    return outcome.campaign;
  };
  /** A campaign of `count` numbers, started (RUNNING, batches fixed). */
  const running = async (made: Made, count: number) => {
    const campaign = await created(made);
    await made.store.addRecipients(campaign.id, numbers(count), 100_000);
    const started = await made.store.transition(campaign.id, ['DRAFT'], {
      status: 'RUNNING',
      startedAt: new Date(made.now()),
      fixBatches: true,
    });
    expect(started.changed).toBe(true);
    return started.campaign!;
  };
  /** Status counts with absent statuses read as 0 (a store may keep a status at 0 or drop it). */
  const statusCounts = async (store: CampaignStore) => {
    const counts = await store.statusCounts();
    const all: Partial<Record<CampaignStatus, number>> = {};
    for (const status of ['DRAFT', 'SCHEDULED', 'RUNNING', 'PAUSED'] as const) all[status] = counts[status] ?? 0;
    expect(counts.COMPLETED ?? 0).toBe(0);
    expect(counts.CANCELLED ?? 0).toBe(0);
    return all;
  };

  describe('create and read', () => {
    it('keeps a new campaign as a DRAFT with every count at zero, and answers it by id', async () => {
      const made = twin.make();
      const given = draft(made);
      const outcome = await made.store.create(given, 10);
      const expected = {
        ...given,
        recipients: 0,
        duplicatesRemoved: 0,
        sent: 0,
        failed: 0,
        suppressed: 0,
        unknown: 0,
        delivered: 0,
        undelivered: 0,
        batchesDone: 0,
        unrecorded: 0,
        batches: 0,
        generation: 0,
      };
      expect(outcome).toEqual({ outcome: 'created', campaign: expected });
      expect(await made.store.get(given.id)).toEqual(expected);
      expect(await made.store.get(newCampaignId(new Date()))).toBeUndefined();
    });

    it('creates no more than maxOpen unfinished campaigns per tenant; a finished one frees its place', async () => {
      const made = twin.make();
      const first = await created(made, draft(made), 2);
      await created(made, draft(made, 'acme', 1), 2);
      expect(await made.store.create(draft(made, 'acme', 2), 2)).toEqual({ outcome: 'limit-reached', open: 2 });
      // Another tenant's campaigns are its own.
      expect((await made.store.create(draft(made, 'globex', 3), 2)).outcome).toBe('created');
      await made.store.transition(first.id, ['DRAFT'], { status: 'CANCELLED', finishedAt: new Date(made.now()) });
      expect((await made.store.create(draft(made, 'acme', 4), 2)).outcome).toBe('created');
      expect((await made.store.list('acme', { first: 10 })).campaigns).toHaveLength(3);
    });

    it('counts concurrent creates atomically: never more than maxOpen', async () => {
      const made = twin.make();
      const outcomes = await Promise.all(
        Array.from({ length: 8 }, (_, n) => made.store.create(draft(made, 'acme', n), 3)),
      );
      expect(outcomes.filter((outcome) => outcome.outcome === 'created')).toHaveLength(3);
      expect(outcomes.filter((outcome) => outcome.outcome === 'limit-reached')).toHaveLength(5);
    });

    it('answers a retried create with the first campaign; a key reused for another campaign is refused', async () => {
      const made = twin.make();
      const key = { key: 'create-1', hash: 'h1' };
      const first = await made.store.create(draft(made), 10, key);
      expect(first.outcome).toBe('created');
      const firstId = first.outcome === 'created' ? first.campaign.id : '';
      const retried = await made.store.create(draft(made, 'acme', 1), 10, key);
      expect(retried).toMatchObject({ outcome: 'replayed', campaign: { id: firstId } });
      expect(await made.store.create(draft(made, 'acme', 2), 10, { key: 'create-1', hash: 'h2' })).toEqual({
        outcome: 'key-reused',
      });
      expect((await made.store.list('acme', { first: 10 })).campaigns.map((campaign) => campaign.id)).toEqual([
        firstId,
      ]);
    });

    it('keeps no key for a create refused at the limit: the retry creates once there is room', async () => {
      const made = twin.make();
      const blocker = await created(made, draft(made), 1);
      const key = { key: 'create-2', hash: 'h1' };
      expect((await made.store.create(draft(made, 'acme', 1), 1, key)).outcome).toBe('limit-reached');
      await made.store.transition(blocker.id, ['DRAFT'], { status: 'CANCELLED', finishedAt: new Date(made.now()) });
      const retried = draft(made, 'acme', 2);
      expect(await made.store.create(retried, 1, key)).toMatchObject({
        outcome: 'created',
        campaign: { id: retried.id },
      });
    });

    it('lists one tenant’s campaigns newest first, in pages, by status when asked', async () => {
      const made = twin.make();
      const ids: string[] = [];
      for (let n = 0; n < 5; n += 1) ids.push((await created(made, draft(made, 'acme', n * 10))).id);
      await created(made, draft(made, 'globex', 60));
      await made.store.transition(ids[1]!, ['DRAFT'], { status: 'SCHEDULED', startAt: new Date(made.now() + HOUR_MS) });
      await made.store.transition(ids[3]!, ['DRAFT'], { status: 'SCHEDULED', startAt: new Date(made.now() + HOUR_MS) });
      const newestFirst = [...ids].reverse();

      const page1 = await made.store.list('acme', { first: 2 });
      expect(page1.campaigns.map((campaign) => campaign.id)).toEqual(newestFirst.slice(0, 2));
      expect(page1).toMatchObject({ hasNextPage: true, endCursor: newestFirst[1] });
      const page2 = await made.store.list('acme', { first: 10, after: page1.endCursor });
      expect(page2.campaigns.map((campaign) => campaign.id)).toEqual(newestFirst.slice(2));
      expect(page2).toMatchObject({ hasNextPage: false, endCursor: newestFirst[4] });

      const scheduled = await made.store.list('acme', { first: 1, status: 'SCHEDULED' });
      expect(scheduled.campaigns.map((campaign) => campaign.id)).toEqual([ids[3]]);
      expect(scheduled.hasNextPage).toBe(true);
      const rest = await made.store.list('acme', { first: 1, status: 'SCHEDULED', after: scheduled.endCursor });
      expect(rest.campaigns.map((campaign) => campaign.id)).toEqual([ids[1]]);
      expect(rest.hasNextPage).toBe(false);

      expect((await made.store.list('initech', { first: 10 })).campaigns).toEqual([]);
    });
    it('keeps tenants apart whatever their names hold', async () => {
      const made = twin.make();
      const tenants = ['*', 'acme:', '', 'acme', 'ac{me}'];
      const ids = new Map<string, string>();
      for (const [n, tenant] of tenants.entries()) ids.set(tenant, (await created(made, draft(made, tenant, n))).id);
      for (const tenant of tenants) {
        const listed = await made.store.list(tenant, { first: 10 });
        expect(listed.campaigns.map((campaign) => campaign.id)).toEqual([ids.get(tenant)]);
      }
      expect(await made.store.create(draft(made, 'acme:', 10), 1)).toEqual({ outcome: 'limit-reached', open: 1 });
    });
  });

  describe('recipients', () => {
    it('adds new numbers in order, counting duplicates within the call and against earlier calls', async () => {
      const made = twin.make();
      const { id } = await created(made);
      const [a, b, c] = numbers(3);
      // Another way of writing a's number: the same person, so a duplicate.
      const aAgain = { endpoint: `${a!.endpoint} `, canonical: a!.canonical };
      expect(await made.store.addRecipients(id, [a!, b!, aAgain], 10)).toEqual({
        outcome: 'added',
        added: 2,
        duplicates: 1,
      });
      expect(await made.store.addRecipients(id, [b!, c!], 10)).toEqual({ outcome: 'added', added: 1, duplicates: 1 });
      expect(await made.store.get(id)).toMatchObject({ recipients: 3, duplicatesRemoved: 2 });
      expect(await made.store.batch(id, 0)).toEqual([a!.endpoint, b!.endpoint, c!.endpoint]);
    });

    it('adds nothing past max, nothing to a campaign no longer a DRAFT, nothing to an unknown one', async () => {
      const made = twin.make();
      const { id } = await created(made);
      await made.store.addRecipients(id, numbers(3), 4);
      expect(await made.store.addRecipients(id, numbers(2, 3), 4)).toEqual({ outcome: 'too-many', recipients: 3 });
      // Numbers already in do not count against the room left.
      expect(await made.store.addRecipients(id, numbers(4), 4)).toEqual({ outcome: 'added', added: 1, duplicates: 3 });
      expect(await made.store.get(id)).toMatchObject({ recipients: 4, duplicatesRemoved: 3 });
      await made.store.transition(id, ['DRAFT'], { status: 'RUNNING', fixBatches: true });
      expect(await made.store.addRecipients(id, numbers(1, 10), 10)).toEqual({
        outcome: 'not-draft',
        status: 'RUNNING',
      });
      expect(await made.store.addRecipients(newCampaignId(new Date()), numbers(1), 10)).toEqual({
        outcome: 'unknown',
      });
      expect(await made.store.batch(id, 0)).toHaveLength(4);
    });

    it('never goes past max when replicas add to one campaign at once', async () => {
      const made = twin.make();
      const { id } = await created(made);
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, (_, n) => made.store.addRecipients(id, numbers(3, n * 3), 10)),
      );
      expect(outcomes.filter((outcome) => outcome.outcome === 'added')).toHaveLength(3);
      expect(outcomes.filter((outcome) => outcome.outcome === 'too-many')).toHaveLength(3);
      expect(await made.store.get(id)).toMatchObject({ recipients: 9 });
      expect(await made.store.batch(id, 0)).toHaveLength(9);
    });

    it('splits the numbers into batches of 1000 in the order they were added', async () => {
      const made = twin.make();
      const campaign = await running(made, 2_500);
      expect(campaign.batches).toBe(3);
      const all = numbers(2_500).map((entry) => entry.endpoint);
      expect(await made.store.batch(campaign.id, 0)).toEqual(all.slice(0, 1000));
      expect(await made.store.batch(campaign.id, 2)).toEqual(all.slice(2000));
      expect(await made.store.batch(campaign.id, 3)).toEqual([]);
    });
  });

  describe('status changes', () => {
    it('changes the status only from the statuses expected, and answers the campaign as it is', async () => {
      const made = twin.make();
      const { id } = await created(made);
      const refused = await made.store.transition(id, ['RUNNING', 'PAUSED'], { status: 'CANCELLED' });
      expect(refused).toMatchObject({ changed: false, campaign: { id, status: 'DRAFT' } });
      expect(await made.store.transition(newCampaignId(new Date()), ['DRAFT'], { status: 'RUNNING' })).toEqual({
        changed: false,
        campaign: undefined,
      });
    });

    it('sets and clears dates and the paused reason, fixes batches and starts new generations', async () => {
      const made = twin.make();
      const { id } = await created(made);
      await made.store.addRecipients(id, numbers(1_001), 5_000);
      const startAt = new Date(made.now() + HOUR_MS);
      const scheduled = await made.store.transition(id, ['DRAFT'], { status: 'SCHEDULED', startAt });
      expect(scheduled.campaign).toMatchObject({ status: 'SCHEDULED', startAt, batches: 0, generation: 0 });
      const startedAt = new Date(made.now() + 1);
      const started = await made.store.transition(id, ['SCHEDULED'], {
        status: 'RUNNING',
        startAt: undefined,
        startedAt,
        nextBatchAt: startedAt,
        fixBatches: true,
      });
      expect(started.campaign).toMatchObject({ status: 'RUNNING', startedAt, nextBatchAt: startedAt, batches: 2 });
      expect(started.campaign?.startAt).toBeUndefined();
      const pausedReason = { code: ErrorCode.SMN_REJECTED, message: 'the template was refused' };
      const paused = await made.store.transition(id, ['RUNNING'], {
        status: 'PAUSED',
        pausedReason,
        nextBatchAt: undefined,
      });
      expect(paused.campaign).toMatchObject({ status: 'PAUSED', pausedReason });
      expect(paused.campaign?.nextBatchAt).toBeUndefined();
      const resumed = await made.store.transition(id, ['PAUSED'], {
        status: 'RUNNING',
        pausedReason: undefined,
        nextGeneration: true,
      });
      expect(resumed.campaign).toMatchObject({ status: 'RUNNING', generation: 1, batches: 2, startedAt });
      expect(resumed.campaign?.pausedReason).toBeUndefined();
      expect(await made.store.get(id)).toEqual(resumed.campaign);
    });

    it('sets the next batch time only while the campaign is not finished', async () => {
      const made = twin.make();
      const { id } = await running(made, 1);
      const at = new Date(made.now() + 5_000);
      await made.store.setNextBatchAt(id, at);
      expect((await made.store.get(id))?.nextBatchAt).toEqual(at);
      await made.store.setNextBatchAt(id, undefined);
      expect((await made.store.get(id))?.nextBatchAt).toBeUndefined();
      await made.store.transition(id, ['RUNNING'], { status: 'CANCELLED', finishedAt: new Date(made.now()) });
      await made.store.setNextBatchAt(id, at);
      expect((await made.store.get(id))?.nextBatchAt).toBeUndefined();
    });
  });

  describe('batches', () => {
    it('counts a batch once, however often it is recorded, and completes the campaign with its last', async () => {
      const made = twin.make();
      const { id } = await running(made, 1_500);
      const at = new Date(made.now() + 1_000);
      const first = { sent: 998, failed: 1, suppressed: 1, unknown: 0, failures: [failure('+8613800000007')] };
      const once = await made.store.recordBatch(id, 0, first, at);
      expect(once).toMatchObject({
        recorded: true,
        completed: false,
        campaign: { sent: 998, unrecorded: 0, batchesDone: 1 },
      });
      expect(await made.store.recordBatch(id, 0, first, at)).toMatchObject({
        recorded: false,
        completed: false,
        campaign: { sent: 998, failed: 1, suppressed: 1, batchesDone: 1 },
      });
      expect(await made.store.batchDone(id, 0)).toBe(true);
      expect(await made.store.batchDone(id, 1)).toBe(false);
      expect([...(await made.store.doneBatches(id))]).toEqual([0]);

      await made.store.setNextBatchAt(id, new Date(made.now() + 2_000));
      // Its send-log write failed for 499 sent messages: counted, not dropped.
      const last = {
        sent: 499,
        failed: 0,
        suppressed: 0,
        unknown: 1,
        unrecorded: 499,
        failures: [failure('+8613800001001')],
      };
      const finished = await made.store.recordBatch(id, 1, last, at);
      expect(finished).toMatchObject({
        recorded: true,
        completed: true,
        campaign: { status: 'COMPLETED', finishedAt: at, sent: 1_497, unknown: 1, unrecorded: 499, batchesDone: 2 },
      });
      expect(finished.campaign?.nextBatchAt).toBeUndefined();
      expect(new Set(await made.store.doneBatches(id))).toEqual(new Set([0, 1]));
      expect(await made.store.recordBatch(newCampaignId(new Date()), 0, last, at)).toEqual({
        recorded: false,
        completed: false,
        campaign: undefined,
      });
    });

    it('counts each batch once when every replica records it at the same time', async () => {
      const made = twin.make();
      const { id } = await running(made, 3_000);
      const outcome = { sent: 1000, failed: 0, suppressed: 0, unknown: 0, failures: [] };
      const at = new Date(made.now());
      const results = await Promise.all(
        [0, 1, 2, 0, 1, 2, 2].map((index) => made.store.recordBatch(id, index, outcome, at)),
      );
      expect(results.filter((result) => result.recorded)).toHaveLength(3);
      expect(results.filter((result) => result.completed)).toHaveLength(1);
      expect(await made.store.get(id)).toMatchObject({ status: 'COMPLETED', sent: 3_000, batchesDone: 3 });
    });

    it('completes a PAUSED campaign too, and never one not started', async () => {
      const made = twin.make();
      const paused = await running(made, 1);
      await made.store.transition(paused.id, ['RUNNING'], { status: 'PAUSED' });
      const outcome = { sent: 1, failed: 0, suppressed: 0, unknown: 0, failures: [] };
      expect((await made.store.recordBatch(paused.id, 0, outcome, new Date())).completed).toBe(true);
      const scheduled = await created(made, draft(made, 'acme', 1));
      await made.store.addRecipients(scheduled.id, numbers(1), 10);
      await made.store.transition(scheduled.id, ['DRAFT'], { status: 'SCHEDULED', fixBatches: true });
      expect(await made.store.recordBatch(scheduled.id, 0, outcome, new Date())).toMatchObject({
        recorded: true,
        completed: false,
        campaign: { status: 'SCHEDULED' },
      });
    });

    it('lists the numbers not sent in the order their batches were counted, in pages', async () => {
      const made = twin.make();
      const { id } = await running(made, 2_500);
      const failures = (from: number, count: number) =>
        Array.from({ length: count }, (_, n) => failure(`+86139${String(from + n).padStart(8, '0')}`));
      const none = { sent: 0, suppressed: 0, unknown: 0 };
      await made.store.recordBatch(id, 2, { ...none, failed: 3, failures: failures(0, 3) }, new Date());
      // More than one script call's worth of arguments in one batch.
      await made.store.recordBatch(id, 0, { ...none, failed: 1000, failures: failures(100, 1000) }, new Date());
      const all = [...failures(0, 3), ...failures(100, 1000)];
      expect(await made.store.failures(id, 0, 5)).toEqual({ failures: all.slice(0, 5), total: 1_003 });
      expect(await made.store.failures(id, 1_000, 10)).toEqual({ failures: all.slice(1_000), total: 1_003 });
      expect(await made.store.failures(newCampaignId(new Date()), 0, 10)).toEqual({ failures: [], total: 0 });
    });

    it('counts delivery reports into the campaign, and into no campaign that does not exist', async () => {
      const made = twin.make();
      const { id } = await running(made, 3);
      await Promise.all([
        made.store.countDelivery(id, 'delivered'),
        made.store.countDelivery(id, 'delivered'),
        made.store.countDelivery(id, 'undelivered'),
      ]);
      expect(await made.store.get(id)).toMatchObject({ delivered: 2, undelivered: 1 });
      const unknown = newCampaignId(new Date());
      await made.store.countDelivery(unknown, 'delivered');
      expect(await made.store.get(unknown)).toBeUndefined();
    });
  });

  describe('pacing', () => {
    it('gives each slot once, `messages / perSecond` apart, and says when to ask again', async () => {
      const made = twin.make();
      const { id } = await running(made, 1);
      const now = made.now();
      expect(await made.store.takeSlot(id, 1000, 500, now)).toEqual({ go: true, next: now + 2_000 });
      expect(await made.store.takeSlot(id, 1000, 500, now + 1_999)).toEqual({ go: false, at: now + 2_000 });
      expect(await made.store.takeSlot(id, 10, 100, now + 2_000)).toEqual({ go: true, next: now + 2_100 });
      // No pacing: always go, nothing taken.
      expect(await made.store.takeSlot(id, 1000, 0, now + 2_001)).toEqual({ go: true, next: now + 2_001 });
      expect(await made.store.takeSlot(id, 1, 1000, now + 2_100)).toEqual({ go: true, next: now + 2_101 });
    });

    it('gives a slot to one of many replicas asking at once', async () => {
      const made = twin.make();
      const { id } = await running(made, 1);
      const now = made.now();
      const answers = await Promise.all(Array.from({ length: 6 }, () => made.store.takeSlot(id, 100, 100, now)));
      expect(answers.filter((answer) => answer.go)).toEqual([{ go: true, next: now + 1_000 }]);
    });
  });

  describe('status counts', () => {
    it('counts the campaigns not finished in each status', async () => {
      const made = twin.make();
      expect(await statusCounts(made.store)).toEqual({ DRAFT: 0, SCHEDULED: 0, RUNNING: 0, PAUSED: 0 });
      const a = await created(made);
      await created(made, draft(made, 'globex', 1));
      const c = await running(made, 1);
      await made.store.transition(a.id, ['DRAFT'], { status: 'SCHEDULED' });
      expect(await statusCounts(made.store)).toEqual({ DRAFT: 1, SCHEDULED: 1, RUNNING: 1, PAUSED: 0 });
      await made.store.transition(c.id, ['RUNNING'], { status: 'PAUSED' });
      await made.store.transition(a.id, ['SCHEDULED'], { status: 'CANCELLED', finishedAt: new Date(made.now()) });
      expect(await statusCounts(made.store)).toEqual({ DRAFT: 1, SCHEDULED: 0, RUNNING: 0, PAUSED: 1 });
      await made.store.recordBatch(
        c.id,
        0,
        { sent: 1, failed: 0, suppressed: 0, unknown: 0, failures: [] },
        new Date(),
      );
      expect(await statusCounts(made.store)).toEqual({ DRAFT: 1, SCHEDULED: 0, RUNNING: 0, PAUSED: 0 });
    });
  });

  describe('retention', () => {
    it('forgets a draft never started after the retention period', async () => {
      const made = twin.make(SHORT_RETENTION_MS);
      const { id } = await created(made);
      await made.store.addRecipients(id, numbers(2), 10);
      await made.expire();
      expect(await made.store.get(id)).toBeUndefined();
      expect(await made.store.batch(id, 0)).toEqual([]);
      expect((await made.store.list('acme', { first: 10 })).campaigns).toEqual([]);
    });

    it('keeps a started campaign past the retention period, and forgets it that long after it finished', async () => {
      const made = twin.make(SHORT_RETENTION_MS);
      const kept = await running(made, 1);
      const finished = await created(made, draft(made, 'acme', 1));
      await made.store.transition(finished.id, ['DRAFT'], { status: 'CANCELLED', finishedAt: new Date(made.now()) });
      await made.expire();
      expect(await made.store.get(finished.id)).toBeUndefined();
      expect(await made.store.get(kept.id)).toMatchObject({ status: 'RUNNING', recipients: 1 });
      expect(await made.store.batch(kept.id, 0)).toHaveLength(1);
      expect((await made.store.list('acme', { first: 10 })).campaigns.map((campaign) => campaign.id)).toEqual([
        kept.id,
      ]);
    });

    it('frees the open place of a draft forgotten after the retention period', async () => {
      const made = twin.make(SHORT_RETENTION_MS);
      await created(made, draft(made), 1);
      await made.expire();
      expect((await made.store.create(draft(made, 'acme', 1), 1)).outcome).toBe('created');
    });

    // Redis keeps a per-status counter hash that a draft's record expiring never told: it counted
    // forgotten drafts for ever, until the store indexed drafts by expiry and swept them on each read.
    it('stops counting a draft forgotten after the retention period', async () => {
      const made = twin.make(SHORT_RETENTION_MS);
      await created(made);
      await made.expire();
      expect(await statusCounts(made.store)).toEqual({ DRAFT: 0, SCHEDULED: 0, RUNNING: 0, PAUSED: 0 });
    });

    it('counts a forgotten draft down once, however many read, and never a draft that was started or cancelled', async () => {
      const made = twin.make(SHORT_RETENTION_MS);
      await created(made);
      await running(made, 3);
      const cancelled = await created(made);
      await made.store.transition(cancelled.id, ['DRAFT'], { status: 'CANCELLED', finishedAt: new Date(made.now()) });
      expect(await statusCounts(made.store)).toEqual({ DRAFT: 1, SCHEDULED: 0, RUNNING: 1, PAUSED: 0 });
      await made.expire();
      // Replicas reading the gauge at once: the forgotten draft leaves the count once.
      const reads = await Promise.all(Array.from({ length: 5 }, () => statusCounts(made.store)));
      for (const counts of [...reads, await statusCounts(made.store)]) {
        expect(counts).toEqual({ DRAFT: 0, SCHEDULED: 0, RUNNING: 1, PAUSED: 0 });
      }
    });

    it('forgets a create key with its campaign, the retention period after it finished', async () => {
      const made = twin.make(SHORT_RETENTION_MS);
      const key = { key: 'create-done', hash: 'h1' };
      const first = await made.store.create(draft(made), 10, key);
      if (first.outcome !== 'created') throw new Error(first.outcome);
      await made.store.transition(first.campaign.id, ['DRAFT'], { status: 'RUNNING' });
      await made.store.transition(first.campaign.id, ['RUNNING'], {
        status: 'CANCELLED',
        finishedAt: new Date(made.now()),
      });
      await made.expire();
      const retry = draft(made, 'acme', 1);
      expect(await made.store.create(retry, 10, key)).toMatchObject({ outcome: 'created', campaign: { id: retry.id } });
    });

    // Redis kept the create key only for the retention period from the create, so a retried create
    // made a second campaign while the first still ran (caught here; the key now lives with it).
    it('answers a retried create with a started campaign however old it is', async () => {
      const made = twin.make(SHORT_RETENTION_MS);
      const key = { key: 'create-old', hash: 'h1' };
      const first = await made.store.create(draft(made), 10, key);
      if (first.outcome !== 'created') throw new Error(first.outcome);
      await made.store.transition(first.campaign.id, ['DRAFT'], { status: 'RUNNING' });
      const retry = draft(made, 'acme', 1);
      await made.expire();
      expect(await made.store.get(retry.id)).toBeUndefined();
      expect(await made.store.create(retry, 10, key)).toMatchObject({
        outcome: 'replayed',
        campaign: { id: first.campaign.id },
      });
    });
  });
});
