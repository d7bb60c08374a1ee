import { afterEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import { CampaignLimitReached, createCampaigns } from '../../src/campaigns/campaigns.js';
import type { RecipientEntry } from '../../src/campaigns/campaign-store.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMemoryBatchQueue } from '../../src/state/memory-batch-queue.js';
import { createMemoryCampaignStore } from '../../src/state/memory-campaign-store.js';
import { createMemoryFeed } from '../../src/util/feed.js';
import { LogCapture } from '../helpers/log-capture.js';

const DAY = 86_400_000;
const RETENTION = 30 * DAY;
const logger = createLogger({ level: 'silent', destination: new LogCapture() });

const caller = (tenant: string, sub = 'user'): Caller => ({ sub, tenant, scopes: new Set() });
const ACME = caller('acme');
const OTHER = caller('other');

/** `count` distinct numbers from `start`, as the resolver hands them to the use case. */
function entries(count: number, start = 0): RecipientEntry[] {
  return Array.from({ length: count }, (_, i) => {
    const endpoint = `+86138${String(start + i + 1).padStart(8, '0')}`;
    return { endpoint, canonical: endpoint };
  });
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** The use cases over the in-memory store and queue, on a clock the test moves. */
function world(options: { maxOpen?: number; budget?: number } = {}) {
  const clock = { now: new Date('2026-03-02T10:00:00Z') };
  const store = createMemoryCampaignStore({
    retentionMs: RETENTION,
    maxRecipients: options.budget ?? 2_000_000,
    clock: { now: () => clock.now },
  });
  const queue = createMemoryBatchQueue({ concurrency: 1, logger });
  closers.push(() => queue.close());
  const campaigns = createCampaigns({
    store,
    queue,
    updates: createMemoryFeed<string>((id) => id),
    maxRecipients: 1_000_000,
    maxOpenPerTenant: options.maxOpen ?? 100,
    defaultMessagesPerSecond: 0,
    clock: { now: () => clock.now },
    logger,
  });
  const create = (who: Caller, extra: { idempotencyKey?: string; startAt?: Date } = {}) =>
    campaigns.create(who, { name: 'Spring sale', smsTemplateId: 'tpl', ...extra });
  /** Runs every batch of a started campaign to the store, as the workers would: it completes. */
  const complete = async (id: string) => {
    const campaign = (await store.get(id))!;
    for (let index = 0; index < campaign.batches; index++) {
      await store.recordBatch(id, index, { sent: 1, failed: 0, suppressed: 0, unknown: 0, failures: [] }, clock.now);
    }
    expect((await store.get(id))?.status).toBe('COMPLETED');
  };
  return { clock, store, campaigns, create, complete };
}

async function refusal(promise: Promise<unknown>): Promise<CampaignLimitReached> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CampaignLimitReached);
  return error as CampaignLimitReached;
}

describe('CAMPAIGN_MAX_OPEN_PER_TENANT: campaigns not yet finished, per tenant', () => {
  it('refuses the one past the limit, creating nothing, while another tenant still creates', async () => {
    const { campaigns, create } = world({ maxOpen: 3 });
    for (let i = 0; i < 3; i++) await create(ACME);
    const error = await refusal(create(ACME));
    expect(error).toMatchObject({ setting: 'CAMPAIGN_MAX_OPEN_PER_TENANT', limit: 3 });
    expect(error.message).toMatch(/3 campaigns not yet finished/);
    expect(error.message).toMatch(/nothing was created/i);
    expect((await campaigns.list(ACME, { first: 100 })).campaigns).toHaveLength(3);
    // Another user of the same tenant shares its limit; another tenant has its own.
    await refusal(create(caller('acme', 'someone-else')));
    await create(OTHER);
    expect((await campaigns.list(OTHER, { first: 100 })).campaigns).toHaveLength(1);
  });

  it('counts DRAFT, SCHEDULED, RUNNING and PAUSED; a cancelled or completed campaign frees its place', async () => {
    const { clock, campaigns, create, complete } = world({ maxOpen: 4 });
    const draft = await create(ACME);
    const scheduled = await create(ACME, { startAt: new Date(clock.now.getTime() + DAY) });
    const running = await create(ACME);
    const paused = await create(ACME);
    for (const { id } of [scheduled, running, paused]) await campaigns.addRecipients(ACME, id, entries(10));
    expect((await campaigns.start(ACME, scheduled.id)).status).toBe('SCHEDULED');
    expect((await campaigns.start(ACME, running.id)).status).toBe('RUNNING');
    await campaigns.start(ACME, paused.id);
    expect((await campaigns.pause(ACME, paused.id)).status).toBe('PAUSED');
    await refusal(create(ACME));

    await campaigns.cancel(ACME, draft.id);
    const fifth = await create(ACME);
    await refusal(create(ACME));

    await complete(running.id);
    await create(ACME);
    await refusal(create(ACME));
    expect(fifth.status).toBe('DRAFT');
  });

  it('a draft that expired unstarted (CAMPAIGN_RETENTION_DAYS) frees its place', async () => {
    const { clock, create } = world({ maxOpen: 2 });
    await create(ACME);
    clock.now = new Date(clock.now.getTime() + DAY);
    await create(ACME);
    clock.now = new Date(clock.now.getTime() + RETENTION - DAY + 1);
    // The first draft is past its retention, the second is not.
    await create(ACME);
    await refusal(create(ACME));
  });

  it('a retried create with its idempotency key replays at the limit; a refused key is not kept', async () => {
    const { campaigns, create } = world({ maxOpen: 1 });
    const first = await create(ACME, { idempotencyKey: 'k-1' });
    expect((await create(ACME, { idempotencyKey: 'k-1' })).id).toBe(first.id);
    await refusal(create(ACME, { idempotencyKey: 'k-2' }));
    await campaigns.cancel(ACME, first.id);
    // k-2 was refused, not used: the same key now creates.
    const second = await create(ACME, { idempotencyKey: 'k-2' });
    expect(second.id).not.toBe(first.id);
    expect(second.status).toBe('DRAFT');
  });

  it('concurrent creates never go past the limit', async () => {
    const { campaigns, create } = world({ maxOpen: 3 });
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => create(ACME)));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(3);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected'))
      expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(CampaignLimitReached);
    expect((await campaigns.list(ACME, { first: 100 })).campaigns).toHaveLength(3);
  });
});

describe('CAMPAIGN_MEMORY_MAX_RECIPIENTS: recipients all campaigns of a replica hold, in memory', () => {
  it('refuses an add that would go past it whole, across campaigns and tenants; duplicates cost nothing', async () => {
    const { campaigns, create } = world({ budget: 100 });
    const a = await create(ACME);
    const b = await create(OTHER);
    expect((await campaigns.addRecipients(ACME, a.id, entries(60))).added).toBe(60);
    const error = await refusal(campaigns.addRecipients(OTHER, b.id, entries(50, 1000)));
    expect(error).toMatchObject({ setting: 'CAMPAIGN_MEMORY_MAX_RECIPIENTS', limit: 100 });
    expect(error.message).toMatch(/nothing from this call was added/i);
    expect((await campaigns.get(OTHER, b.id))?.recipients).toBe(0);
    // Exactly up to the budget is fine; numbers the campaign already holds are not counted again.
    expect((await campaigns.addRecipients(OTHER, b.id, entries(40, 1000))).added).toBe(40);
    expect(await campaigns.addRecipients(ACME, a.id, entries(60))).toMatchObject({ added: 0, duplicatesRemoved: 60 });
    await refusal(campaigns.addRecipients(ACME, a.id, entries(1, 5000)));
    expect((await campaigns.get(ACME, a.id))?.recipients).toBe(60);
  });

  it('gives recipients back when their campaign is cancelled, completes, or expires as a draft', async () => {
    const { clock, campaigns, create, complete } = world({ budget: 100 });
    const cancelled = await create(ACME);
    await campaigns.addRecipients(ACME, cancelled.id, entries(100));
    const next = await create(ACME);
    await refusal(campaigns.addRecipients(ACME, next.id, entries(1, 1000)));
    await campaigns.cancel(ACME, cancelled.id);
    expect((await campaigns.addRecipients(ACME, next.id, entries(100, 1000))).added).toBe(100);

    await campaigns.start(ACME, next.id);
    const third = await create(ACME);
    await refusal(campaigns.addRecipients(ACME, third.id, entries(1, 2000)));
    await complete(next.id);
    expect((await campaigns.addRecipients(ACME, third.id, entries(100, 2000))).added).toBe(100);

    clock.now = new Date(clock.now.getTime() + DAY);
    const fourth = await create(OTHER);
    await refusal(campaigns.addRecipients(OTHER, fourth.id, entries(1, 3000)));
    clock.now = new Date(clock.now.getTime() + RETENTION - DAY + 1);
    // `third` expired unstarted, and its 100 numbers with it; `fourth`, a day younger, has not.
    expect((await campaigns.addRecipients(OTHER, fourth.id, entries(100, 3000))).added).toBe(100);
    expect(await campaigns.get(ACME, third.id)).toBeUndefined();
  });

  it('concurrent adds never hold more than the budget, and each is all or nothing', async () => {
    const { campaigns, create } = world({ budget: 250 });
    const ids = await Promise.all(Array.from({ length: 6 }, () => create(ACME).then((c) => c.id)));
    const outcomes = await Promise.allSettled(
      ids.map((id, i) => campaigns.addRecipients(ACME, id, entries(100, i * 1000))),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(2);
    const held = await Promise.all(ids.map(async (id) => (await campaigns.get(ACME, id))!.recipients));
    expect(held.sort((x, y) => y - x)).toEqual([100, 100, 0, 0, 0, 0]);
  });
});
