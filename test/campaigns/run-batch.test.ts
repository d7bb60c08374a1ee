import { describe, expect, it } from 'vitest';
import { createBatchRunner, type CampaignPublish } from '../../src/campaigns/run-batch.js';
import type { BatchVerdict } from '../../src/campaigns/batch-queue.js';
import type { Campaign } from '../../src/campaigns/campaign.js';
import { createLogger } from '../../src/observability/logger.js';
import { withIdempotency } from '../../src/send/idempotent-publish.js';
import type { PromotionSmsReport } from '../../src/send/publish.js';
import { createMemoryCampaignStore } from '../../src/state/memory-campaign-store.js';
import { createMemoryIdempotencyStore } from '../../src/state/memory-idempotency-store.js';
import { systemClock } from '../../src/util/clock.js';

const logger = createLogger({ level: 'silent', pretty: false });

function sentReport(endpoints: readonly string[]): PromotionSmsReport {
  return {
    requestId: 'smn-1',
    results: [],
    sentCount: endpoints.length,
    failedCount: 0,
    duplicatesRemoved: 0,
    suppressedCount: 0,
    replayed: false,
  };
}

/**
 * A RUNNING campaign of `count` numbers (one batch, no pacing) and the real idempotency layer with
 * IDEMPOTENCY_WAIT_MS `waitMs`, over a send SMN holds until `answer()`. `onWaiting` runs whenever a
 * request looks at a claim still pending (it is then waiting for it).
 */
async function world(count: number, waitMs: number, onWaiting: () => void = () => undefined) {
  const store = createMemoryCampaignStore({ retentionMs: 86_400_000 });
  const created = await store.create(
    {
      id: 'cmp_000000000000000000000000001',
      tenant: 't',
      owner: { sub: 'owner', tenant: 't' },
      name: 'Takeover',
      smsTemplateId: 'tpl',
      status: 'DRAFT',
      messagesPerSecond: 0,
      createdAt: new Date(),
    },
    10,
  );
  if (created.outcome !== 'created') throw new Error(`not created: ${created.outcome}`);
  const id = created.campaign.id;
  const endpoints = Array.from({ length: count }, (_, n) => `+86138${String(n + 1).padStart(8, '0')}`);
  await store.addRecipients(
    id,
    endpoints.map((endpoint) => ({ endpoint, canonical: endpoint })),
    1_000_000,
  );
  await store.transition(id, ['DRAFT'], { status: 'RUNNING', fixBatches: true, startedAt: new Date() });
  /** Sends SMN never answers until `answer` is called: a worker holding one is mid-batch. */
  const held: Array<() => void> = [];
  let sends = 0;
  const idempotency = createMemoryIdempotencyStore({ maxEntries: 100, maxBytes: 1_000_000, ttlMs: 86_400_000 });
  const publish: CampaignPublish = withIdempotency(
    async (command) => {
      sends += 1;
      await new Promise<void>((resolve) => held.push(resolve));
      return sentReport(command.endpoints);
    },
    {
      store: {
        ...idempotency,
        get: async (key) => {
          const record = await idempotency.get(key);
          if (record?.state === 'pending') onWaiting();
          return record;
        },
      },
      ttlMs: 86_400_000,
      waitMs,
      pollMs: 20,
    },
  );
  const run = createBatchRunner({
    store,
    publish,
    updates: { publish: () => Promise.resolve() },
    sendWindow: undefined,
    maxAttempts: 3,
    retryBaseMs: 1_000,
    waitSliceMs: 600_000,
    clock: systemClock,
    logger,
  });
  const job = { campaignId: id, index: 0, generation: (await store.get(id))!.generation, attempt: 0 };
  return {
    store,
    id,
    job,
    run,
    sends: () => sends,
    answer: () => held.splice(0).forEach((resolve) => resolve()),
    campaign: async () => (await store.get(id)) as Campaign,
  };
}

/** Until `check` holds (the first run has reached SMN). */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setImmediate(resolve));
}

describe('a campaign batch found with its idempotency claim pending', () => {
  it('taken back from a dead worker (afterStall): counted unknown at once, not sent again', async () => {
    // IDEMPOTENCY_WAIT_MS as configured by default: a wait for the dead claim would take 15 s.
    const w = await world(5, 15_000);
    // The first worker claimed the batch and is mid-send when it dies: its run never finishes.
    void w.run(w.job);
    await until(() => w.sends() === 1);

    const started = performance.now();
    const verdict = await w.run(w.job, { afterStall: true });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(verdict).toEqual<BatchVerdict>({ type: 'done' });
    expect(w.sends()).toBe(1);
    expect(await w.campaign()).toMatchObject({ unknown: 5, sent: 0, batchesDone: 1, status: 'COMPLETED' });
  });

  it('run again while the earlier run is alive (no stall): waits for its outcome and counts it sent', async () => {
    // The earlier run answers only once the second is waiting for it.
    let answer: () => void = () => undefined;
    const w = await world(5, 15_000, () => answer());
    answer = w.answer;
    void w.run(w.job);
    await until(() => w.sends() === 1);

    expect(await w.run(w.job)).toEqual<BatchVerdict>({ type: 'done' });
    expect(w.sends()).toBe(1);
    expect(await w.campaign()).toMatchObject({ sent: 5, unknown: 0, batchesDone: 1 });
  });

  it('no stall and no answer within IDEMPOTENCY_WAIT_MS: counted unknown, never sent again', async () => {
    let waited = 0;
    const w = await world(3, 200, () => (waited += 1));
    void w.run(w.job);
    await until(() => w.sends() === 1);

    expect(await w.run(w.job)).toEqual<BatchVerdict>({ type: 'done' });
    expect(waited).toBeGreaterThan(1);
    expect(w.sends()).toBe(1);
    expect(await w.campaign()).toMatchObject({ unknown: 3, sent: 0 });
  });
});
