import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import type { BatchHandler, BatchJob, BatchQueue } from '../../src/campaigns/batch-queue.js';
import { newCampaignId, type Campaign, type CampaignStatus } from '../../src/campaigns/campaign.js';
import type { RecipientEntry } from '../../src/campaigns/campaign-store.js';
import { createCampaigns, type NewCampaignInput } from '../../src/campaigns/campaigns.js';
import { CampaignRefusal } from '../../src/campaigns/refusals.js';
import type { Existence } from '../../src/catalog/catalog.js';
import { ErrorCode } from '../../src/error-codes.js';
import { PolicyError } from '../../src/errors/policy-error.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMemoryCampaignStore } from '../../src/state/memory-campaign-store.js';
import type { Clock } from '../../src/util/clock.js';

/**
 * The campaign use cases (create, add, start, pause, resume, cancel, read) over the in-memory store,
 * a queue that records what it is given, and a clock the test moves. No worker runs: what a start
 * queues is read from the queue, what a batch counts is written to the store directly.
 */

const logger = createLogger({ level: 'silent', pretty: false });
const T0 = new Date('2026-03-02T10:00:00.000Z');
const MINUTE = 60_000;

const caller = (tenant: string, sub = 'user'): Caller => ({ sub, tenant, scopes: new Set() });
const ACME = caller('acme');
const ACME_COLLEAGUE = caller('acme', 'colleague');
const GLOBEX = caller('globex');

function entries(count: number, start = 0): RecipientEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const endpoint = `+86138${String(start + i + 1).padStart(8, '0')}`;
    return { endpoint, canonical: endpoint };
  });
}

/** A BatchQueue that only records: jobs and the queue time they may run from. */
function recordingQueue() {
  const added: Array<{ jobs: readonly BatchJob[]; at: number }> = [];
  const queue: BatchQueue = {
    kind: 'memory',
    add(jobs, at) {
      added.push({ jobs, at });
      return Promise.resolve();
    },
    work: (_handler: BatchHandler) => undefined,
    depth: () => Promise.resolve(added.reduce((sum, call) => sum + call.jobs.length, 0)),
    close: () => Promise.resolve(),
  };
  return { queue, added };
}

function world(
  options: {
    maxRecipients?: number;
    catalog?: { template?: Existence; sign?: Existence };
  } = {},
) {
  let now = T0;
  const clock: Clock = { now: () => now };
  const store = createMemoryCampaignStore({ retentionMs: 30 * 86_400_000, clock });
  const { queue, added } = recordingQueue();
  const announced: string[] = [];
  const lookups: string[] = [];
  let cancelled = 0;
  const campaigns = createCampaigns({
    store,
    queue,
    updates: {
      publish: (id) => {
        announced.push(id);
        return Promise.resolve();
      },
    },
    maxRecipients: options.maxRecipients ?? 1_000_000,
    maxOpenPerTenant: 100,
    defaultMessagesPerSecond: 50,
    clock,
    logger,
    cancelled: () => (cancelled += 1),
    ...(options.catalog && {
      catalog: {
        templateExists: (id: string, reader: string) => {
          lookups.push(`template ${id} by ${reader}`);
          return Promise.resolve(options.catalog!.template ?? 'exists');
        },
        signExists: (id: string, reader: string) => {
          lookups.push(`sign ${id} by ${reader}`);
          return Promise.resolve(options.catalog!.sign ?? 'exists');
        },
      },
    }),
  });
  const create = (who: Caller = ACME, extra: Partial<NewCampaignInput> = {}) =>
    campaigns.create(who, { name: 'Spring sale', smsTemplateId: 'tpl_promo', ...extra });
  /** A campaign with `count` recipients, still a DRAFT. */
  const filled = async (count = 3, extra: Partial<NewCampaignInput> = {}) => {
    const campaign = await create(ACME, extra);
    await campaigns.addRecipients(ACME, campaign.id, entries(count));
    return campaign;
  };
  const stored = async (id: string) => (await store.get(id)) as Campaign;
  return {
    store,
    campaigns,
    create,
    filled,
    stored,
    added,
    announced,
    lookups,
    cancellations: () => cancelled,
    move: (ms: number) => (now = new Date(now.getTime() + ms)),
  };
}

/** The refusal a promise rejects with (failing the test when it does not). */
async function refusalOf(promise: Promise<unknown>): Promise<CampaignRefusal> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CampaignRefusal);
  return error as CampaignRefusal;
}

describe('campaigns: create', () => {
  it("a DRAFT of the caller's tenant, owned by the caller, at the default pace, with no recipients", async () => {
    const w = world();
    const campaign = await w.create(ACME, { signId: 'sign_demo', extendCode: '01' });
    expect(campaign).toMatchObject({
      tenant: 'acme',
      owner: { sub: 'user', tenant: 'acme' },
      name: 'Spring sale',
      smsTemplateId: 'tpl_promo',
      signId: 'sign_demo',
      extendCode: '01',
      status: 'DRAFT',
      messagesPerSecond: 50,
      createdAt: T0,
      recipients: 0,
      batches: 0,
    });
    expect(campaign.id).toMatch(/^cmp_/);
    expect(await w.stored(campaign.id)).toEqual(campaign);
    expect((await w.create(ACME, { messagesPerSecond: 0 })).messagesPerSecond).toBe(0);
  });

  it('a retried create with the same key and input replays it; the key with other input is refused', async () => {
    const w = world();
    const first = await w.create(ACME, { idempotencyKey: 'k1' });
    expect((await w.create(ACME, { idempotencyKey: 'k1' })).id).toBe(first.id);
    const reused = await w.create(ACME, { idempotencyKey: 'k1', name: 'Another' }).catch((error: unknown) => error);
    expect(reused).toBeInstanceOf(PolicyError);
    expect(reused).toMatchObject({ code: ErrorCode.IDEMPOTENCY_KEY_REUSED });
    // Keys are the caller's own: another user's k1 is another campaign.
    expect((await w.create(ACME_COLLEAGUE, { idempotencyKey: 'k1' })).id).not.toBe(first.id);
    expect((await w.campaigns.list(ACME, { first: 10 })).campaigns).toHaveLength(2);
  });
});

describe('campaigns: add recipients', () => {
  it('adds new numbers in order, counting duplicates (in the call and with earlier calls)', async () => {
    const w = world();
    const { id } = await w.create();
    const first = await w.campaigns.addRecipients(ACME, id, [...entries(3), ...entries(1)]);
    expect(first).toMatchObject({ added: 3, duplicatesRemoved: 1, campaign: { recipients: 3 } });
    const second = await w.campaigns.addRecipients(ACME, id, entries(4));
    expect(second).toMatchObject({ added: 1, duplicatesRemoved: 3, campaign: { recipients: 4, duplicatesRemoved: 4 } });
    expect(await w.store.batch(id, 0)).toEqual(entries(4).map((entry) => entry.endpoint));
    expect(w.announced).toEqual([id, id]);
  });

  it('never past CAMPAIGN_MAX_RECIPIENTS: the whole call is refused, nothing from it added', async () => {
    const w = world({ maxRecipients: 5 });
    const { id } = await w.create();
    await w.campaigns.addRecipients(ACME, id, entries(4));
    const refusal = await refusalOf(w.campaigns.addRecipients(ACME, id, entries(2, 10)));
    expect(refusal.message).toMatch(/at most 5 recipients.*it has 4/);
    expect((await w.stored(id)).recipients).toBe(4);
  });

  it('only to a DRAFT: a started campaign refuses, naming its status', async () => {
    const w = world();
    const { id } = await w.filled();
    await w.campaigns.start(ACME, id);
    const refusal = await refusalOf(w.campaigns.addRecipients(ACME, id, entries(1, 50)));
    expect(refusal.status).toBe('RUNNING');
    expect((await w.stored(id)).recipients).toBe(3);
  });
});

describe('campaigns: start', () => {
  it('RUNNING now: batches fixed, one job per batch queued to run at once, announced', async () => {
    const w = world();
    const { id } = await w.filled(2_500);
    const started = await w.campaigns.start(ACME, id);
    expect(started).toMatchObject({ status: 'RUNNING', batches: 3, startedAt: T0, generation: 0 });
    expect(w.added).toHaveLength(1);
    expect(w.added[0]!.jobs.map((job) => [job.index, job.generation, job.attempt])).toEqual([
      [0, 0, 0],
      [1, 0, 0],
      [2, 0, 0],
    ]);
    expect(w.added[0]!.at).toBeLessThanOrEqual(Date.now());
    expect(w.announced.at(-1)).toBe(id);
  });

  it('with a start time ahead: SCHEDULED, not started, its jobs queued to run at that time', async () => {
    const w = world();
    const startAt = new Date(T0.getTime() + 30 * MINUTE);
    const { id } = await w.filled(3, { startAt });
    const before = Date.now();
    const started = await w.campaigns.start(ACME, id);
    expect(started.status).toBe('SCHEDULED');
    expect(started.startedAt).toBeUndefined();
    const { at } = w.added[0]!;
    // Queue time is real time: 30 minutes from now, whatever the clock says.
    expect(at - before).toBeGreaterThanOrEqual(30 * MINUTE);
    expect(at - Date.now()).toBeLessThanOrEqual(30 * MINUTE);
  });

  it('a start time already past starts it now', async () => {
    const w = world();
    const { id } = await w.filled(3, { startAt: new Date(T0.getTime() - MINUTE) });
    expect((await w.campaigns.start(ACME, id)).status).toBe('RUNNING');
  });

  it('no recipients: refused, still a DRAFT, nothing queued', async () => {
    const w = world();
    const { id } = await w.create();
    const refusal = await refusalOf(w.campaigns.start(ACME, id));
    expect(refusal.message).toMatch(/at least one recipient/);
    expect((await w.stored(id)).status).toBe('DRAFT');
    expect(w.added).toHaveLength(0);
  });

  it('a template or signature SMN does not know: refused naming the field, charged to the caller', async () => {
    const missingTemplate = world({ catalog: { template: 'missing' } });
    const a = await missingTemplate.filled(3, { signId: 'sign_demo' });
    expect((await refusalOf(missingTemplate.campaigns.start(ACME, a.id))).field).toBe('smsTemplateId');
    expect((await missingTemplate.stored(a.id)).status).toBe('DRAFT');
    expect(missingTemplate.added).toHaveLength(0);
    const reader = JSON.stringify(['acme', 'user']);
    expect(missingTemplate.lookups).toEqual([`template tpl_promo by ${reader}`, `sign sign_demo by ${reader}`]);

    const missingSign = world({ catalog: { sign: 'missing' } });
    const b = await missingSign.filled(3, { signId: 'sign_gone' });
    expect((await refusalOf(missingSign.campaigns.start(ACME, b.id))).field).toBe('signId');
    expect(missingSign.added).toHaveLength(0);
  });

  it('no signature to check: only the template is looked up', async () => {
    const w = world({ catalog: {} });
    const { id } = await w.filled();
    await w.campaigns.start(ACME, id);
    expect(w.lookups.map((lookup) => lookup.split(' ')[0])).toEqual(['template']);
  });

  it('the catalog unreadable (unknown): the start goes ahead', async () => {
    const w = world({ catalog: { template: 'unknown', sign: 'unknown' } });
    const { id } = await w.filled(3, { signId: 'sign_demo' });
    expect((await w.campaigns.start(ACME, id)).status).toBe('RUNNING');
    expect(w.added).toHaveLength(1);
  });

  it('twice: the second is refused with the status, nothing queued again', async () => {
    const w = world();
    const { id } = await w.filled();
    await w.campaigns.start(ACME, id);
    expect((await refusalOf(w.campaigns.start(ACME, id))).status).toBe('RUNNING');
    expect(w.added).toHaveLength(1);
  });
});

describe('campaigns: pause, resume, cancel', () => {
  it('pause a RUNNING campaign: PAUSED, its wait and any earlier reason cleared', async () => {
    const w = world();
    const { id } = await w.filled();
    await w.campaigns.start(ACME, id);
    await w.store.setNextBatchAt(id, new Date(T0.getTime() + MINUTE));
    const paused = await w.campaigns.pause(ACME, id);
    expect(paused.status).toBe('PAUSED');
    expect(paused.nextBatchAt).toBeUndefined();
  });

  it('resume: a new run (generation + 1) queues only the batches not yet counted, clears the reason', async () => {
    const w = world();
    const { id } = await w.filled(2_001);
    await w.campaigns.start(ACME, id);
    await w.store.recordBatch(id, 1, { sent: 1000, failed: 0, suppressed: 0, unknown: 0, failures: [] }, T0);
    await w.store.transition(id, ['RUNNING'], {
      status: 'PAUSED',
      pausedReason: { code: ErrorCode.SMN_REJECTED, message: 'SMN.0162: no template' },
    });
    w.move(MINUTE);
    const resumed = await w.campaigns.resume(ACME, id);
    expect(resumed).toMatchObject({ status: 'RUNNING', generation: 1, startedAt: T0 });
    expect(resumed.pausedReason).toBeUndefined();
    expect(w.added.at(-1)!.jobs.map((job) => [job.index, job.generation])).toEqual([
      [0, 1],
      [2, 1],
    ]);
  });

  it('resume a campaign paused before its start time: SCHEDULED again, its jobs at that time', async () => {
    const w = world();
    const startAt = new Date(T0.getTime() + 30 * MINUTE);
    const { id } = await w.filled(3, { startAt });
    await w.campaigns.start(ACME, id);
    expect((await w.campaigns.pause(ACME, id)).status).toBe('PAUSED');
    const resumed = await w.campaigns.resume(ACME, id);
    expect(resumed.status).toBe('SCHEDULED');
    expect(resumed.startedAt).toBeUndefined();
    expect(w.added.at(-1)!.at - Date.now()).toBeGreaterThan(29 * MINUTE);
  });

  it('resume a campaign paused before its start time, once that time has passed: started now', async () => {
    const w = world();
    const startAt = new Date(T0.getTime() + 30 * MINUTE);
    const { id } = await w.filled(3, { startAt });
    await w.campaigns.start(ACME, id);
    await w.campaigns.pause(ACME, id);
    w.move(31 * MINUTE);
    expect(await w.campaigns.resume(ACME, id)).toMatchObject({
      status: 'RUNNING',
      startedAt: new Date(T0.getTime() + 31 * MINUTE),
    });
  });

  it('cancel: CANCELLED with its finish time, from DRAFT, SCHEDULED, RUNNING or PAUSED', async () => {
    const w = world();
    const draft = await w.filled();
    const running = await w.filled();
    await w.campaigns.start(ACME, running.id);
    const paused = await w.filled();
    await w.campaigns.start(ACME, paused.id);
    await w.campaigns.pause(ACME, paused.id);
    const scheduled = await w.filled(3, { startAt: new Date(T0.getTime() + MINUTE) });
    await w.campaigns.start(ACME, scheduled.id);
    w.move(5_000);
    for (const { id } of [draft, running, paused, scheduled]) {
      expect(await w.campaigns.cancel(ACME, id)).toMatchObject({
        status: 'CANCELLED',
        finishedAt: new Date(T0.getTime() + 5_000),
      });
    }
    expect(w.cancellations()).toBe(4);
  });

  it.each<[string, (w: ReturnType<typeof world>, id: string) => Promise<unknown>, CampaignStatus, RegExp]>([
    ['pause a DRAFT', (w, id) => w.campaigns.pause(ACME, id), 'DRAFT', /Cannot pause.*DRAFT.*RUNNING or SCHEDULED/],
    ['resume a DRAFT', (w, id) => w.campaigns.resume(ACME, id), 'DRAFT', /Cannot resume.*DRAFT.*from PAUSED/],
  ])('%s: refused with its status, nothing changed', async (_name, action, status, message) => {
    const w = world();
    const { id } = await w.filled();
    const refusal = await refusalOf(action(w, id));
    expect(refusal).toMatchObject({ status });
    expect(refusal.message).toMatch(message);
    expect((await w.stored(id)).status).toBe(status);
  });

  it('a finished campaign refuses every change; resume refuses a RUNNING one', async () => {
    const w = world();
    const { id } = await w.filled();
    await w.campaigns.start(ACME, id);
    expect((await refusalOf(w.campaigns.resume(ACME, id))).status).toBe('RUNNING');
    await w.campaigns.cancel(ACME, id);
    for (const action of [w.campaigns.pause, w.campaigns.resume, w.campaigns.cancel, w.campaigns.start]) {
      expect((await refusalOf(action(ACME, id))).status).toBe('CANCELLED');
    }
    expect(w.cancellations()).toBe(1);
  });

  it('a change that loses a race (the status moved under it) is refused, not applied twice', async () => {
    const w = world();
    const { id } = await w.filled();
    await w.campaigns.start(ACME, id);
    const [first, second] = await Promise.allSettled([w.campaigns.pause(ACME, id), w.campaigns.pause(ACME, id)]);
    expect(first.status).toBe('fulfilled');
    expect(second.status).toBe('rejected');
    expect((second as PromiseRejectedResult).reason).toMatchObject({ status: 'PAUSED' });
  });
});

describe('campaigns: reads and tenant scoping', () => {
  it('get: the own tenant sees it (any of its users); another tenant, an unknown or malformed id see nothing', async () => {
    const w = world();
    const { id } = await w.create();
    expect((await w.campaigns.get(ACME_COLLEAGUE, id))?.id).toBe(id);
    expect(await w.campaigns.get(GLOBEX, id)).toBeUndefined();
    expect(await w.campaigns.get(ACME, newCampaignId(T0))).toBeUndefined();
    expect(await w.campaigns.get(ACME, 'not-a-campaign-id')).toBeUndefined();
  });

  it("another tenant's campaign cannot be changed: answered exactly like an unknown id", async () => {
    const w = world();
    const { id } = await w.filled();
    const unknown = await refusalOf(w.campaigns.start(GLOBEX, newCampaignId(T0)));
    for (const attempt of [
      w.campaigns.start(GLOBEX, id),
      w.campaigns.pause(GLOBEX, id),
      w.campaigns.resume(GLOBEX, id),
      w.campaigns.cancel(GLOBEX, id),
      w.campaigns.addRecipients(GLOBEX, id, entries(1, 99)),
    ]) {
      const refusal = await refusalOf(attempt);
      expect(refusal.message).toBe(unknown.message);
      expect(refusal.status).toBeUndefined();
    }
    expect(await w.stored(id)).toMatchObject({ status: 'DRAFT', recipients: 3 });
    expect(w.added).toHaveLength(0);
    expect(w.cancellations()).toBe(0);
  });

  it("failures: the own tenant's only; another tenant's campaign has none, like an unknown one", async () => {
    const w = world();
    const { id } = await w.filled(2);
    await w.campaigns.start(ACME, id);
    const failure = { status: 'failed' as const, endpoint: entries(1)[0]!.endpoint, code: 'SMN.0167', message: 'no' };
    await w.store.recordBatch(id, 0, { sent: 1, failed: 1, suppressed: 0, unknown: 0, failures: [failure] }, T0);
    expect(await w.campaigns.failures(ACME_COLLEAGUE, id, 0, 10)).toEqual({ failures: [failure], total: 1 });
    expect(await w.campaigns.failures(GLOBEX, id, 0, 10)).toEqual({ failures: [], total: 0 });
    expect(await w.campaigns.failures(ACME, newCampaignId(T0), 0, 10)).toEqual({ failures: [], total: 0 });
  });

  it('failures come in pages; another tenant is answered exactly as an unknown campaign', async () => {
    const w = world();
    const { id } = await w.create(ACME);
    const failures = [
      { status: 'failed' as const, endpoint: '+8613800000001', code: 'SMN.0167', message: 'no such number' },
      { status: 'failed' as const, endpoint: '+8613800000002', code: 'OPTED_OUT', message: 'opted out' },
    ];
    await w.store.recordBatch(id, 0, { sent: 0, failed: 2, suppressed: 0, unknown: 0, failures }, T0);
    expect(await w.campaigns.failures(ACME, id, 0, 10)).toEqual({ failures, total: 2 });
    expect(await w.campaigns.failures(ACME, id, 1, 10)).toEqual({ failures: failures.slice(1), total: 2 });
    const unknown = await w.campaigns.failures(ACME, 'cmp_unknown', 0, 10);
    expect(unknown).toEqual({ failures: [], total: 0 });
    expect(await w.campaigns.failures(GLOBEX, id, 0, 10)).toEqual(unknown);
  });

  it("list: only the caller's tenant, newest first, by status, in pages", async () => {
    const w = world();
    const ids: string[] = [];
    for (let n = 0; n < 3; n++) {
      ids.push((await w.create()).id);
      w.move(1_000);
    }
    await w.create(GLOBEX);
    await w.campaigns.addRecipients(ACME, ids[0]!, entries(1));
    await w.campaigns.start(ACME, ids[0]!);

    const page = await w.campaigns.list(ACME, { first: 2 });
    expect(page.campaigns.map((campaign) => campaign.id)).toEqual([ids[2], ids[1]]);
    expect(page.hasNextPage).toBe(true);
    const rest = await w.campaigns.list(ACME, { first: 2, after: page.endCursor });
    expect(rest.campaigns.map((campaign) => campaign.id)).toEqual([ids[0]]);
    expect(rest.hasNextPage).toBe(false);
    expect((await w.campaigns.list(ACME, { first: 10, status: 'RUNNING' })).campaigns.map((c) => c.id)).toEqual([
      ids[0],
    ]);
    expect((await w.campaigns.list(GLOBEX, { first: 10 })).campaigns).toHaveLength(1);
  });
});

describe('campaigns: the store out of reach', () => {
  it('every use case fails closed with STATE_UNAVAILABLE, nothing queued', async () => {
    const w = world();
    const { id } = await w.filled();
    const down = () => Promise.reject(new Error('redis down'));
    w.store.get = down;
    w.store.create = down;
    w.store.list = down;
    for (const attempt of [
      w.campaigns.get(ACME, id),
      w.campaigns.start(ACME, id),
      w.campaigns.create(ACME, { name: 'x', smsTemplateId: 't' }),
      w.campaigns.list(ACME, { first: 1 }),
    ]) {
      await expect(attempt).rejects.toMatchObject({ code: ErrorCode.STATE_UNAVAILABLE });
    }
    expect(w.added).toHaveLength(0);
  });
});
