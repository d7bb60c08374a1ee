import { describe, expect, it, vi } from 'vitest';
import {
  AddOptOutsDocument,
  AddPromotionCampaignRecipientsDocument,
  CancelPromotionCampaignDocument,
  CreatePromotionCampaignDocument,
  PausePromotionCampaignDocument,
  PromotionCampaignsDocument,
  ResumePromotionCampaignDocument,
  StartPromotionCampaignDocument,
} from '../../client/index.js';
import { SIMULATOR_IDS } from '../../src/simulator/numbers.js';
import { execute } from '../helpers/graphql.js';
import { redisForTests, uniquePrefix } from '../helpers/redis.js';
import { useStack } from '../helpers/stack.js';
import {
  addRecipients,
  addsUp,
  campaignEngines,
  campaignQueueDrained,
  campaignReaches,
  createCampaign,
  numbers,
  readCampaign,
  receivedNumbers,
  startCampaign,
  useCampaignStack,
} from '../helpers/campaigns.js';

describe.each(campaignEngines(await redisForTests()))('campaigns ($engine)', ({ env }) => {
  const stack = useCampaignStack({ env: { ...env, REDIS_KEY_PREFIX: uniquePrefix() } });
  const { url } = stack;

  it('sends every batch once, holds back opted-out numbers, and the counts add up', async () => {
    await stack.simulator.reset();
    const audience = numbers(2500);
    const optedOut = audience.slice(100, 103);
    await execute(url(), AddOptOutsDocument, { input: { endpoints: optedOut } });
    const campaign = await createCampaign(url());
    expect(campaign).toMatchObject({ status: 'DRAFT', recipients: 0, batches: 0, remaining: 0 });
    // Duplicates: exact, and the same person written another way (without +86).
    const added = await addRecipients(url(), campaign.id, [
      ...audience,
      ...audience.slice(0, 5),
      audience[7]!.slice(3),
    ]);
    expect(added).toMatchObject({ added: 2500, duplicatesRemoved: 6, invalid: 0 });
    const started = await startCampaign(url(), campaign.id);
    expect(started).toMatchObject({ batches: 3, recipients: 2500 });
    expect(['RUNNING', 'COMPLETED']).toContain(started.status);
    const done = await campaignReaches(url(), campaign.id, 'COMPLETED');
    expect(done).toMatchObject({ sent: 2497, suppressed: 3, failed: 0, unknown: 0, remaining: 0, batchesDone: 3 });
    expect(done.finishedAt).toBeTruthy();
    expect(addsUp(done)).toBe(true);
    const sentNumbers = await receivedNumbers(stack.simulator);
    expect(sentNumbers).toHaveLength(2497);
    expect(new Set(sentNumbers).size).toBe(2497);
    expect(sentNumbers).not.toContain(optedOut[0]);
    // In order: the first batch went first.
    expect(sentNumbers[0]).toBe(audience[0]);

    await createCampaign(url(), { name: 'A draft, for the gauge' });
    const metrics = await (await fetch(stack.app.metricsUrl)).text();
    expect(metrics).toMatch(/smn_gateway_campaigns\{status="DRAFT"\} [1-9]/);
    expect(metrics).not.toMatch(/smn_gateway_campaigns\{status="COMPLETED"\}/);
    expect(metrics).toMatch(/smn_gateway_campaign_batches_total\{outcome="sent"\} [1-9]/);
    expect(metrics).toMatch(/smn_gateway_campaign_messages_total [1-9]/);
    expect(metrics).toMatch(/smn_gateway_campaigns_finished_total\{status="COMPLETED"\} [1-9]/);
    expect(metrics).toMatch(/smn_gateway_campaign_queue_depth \d+/);
  });

  it('pause stops new batches, resume continues, cancel drops the rest; counts stay exact', async () => {
    await stack.simulator.reset();
    // 1000 messages per second: one batch per second.
    const campaign = await createCampaign(url(), { messagesPerSecond: 1000 });
    await addRecipients(url(), campaign.id, numbers(6000, 10_000));
    await startCampaign(url(), campaign.id);
    const paused = await execute(url(), PausePromotionCampaignDocument, { id: campaign.id });
    expect(paused.data?.pausePromotionCampaign.status).toBe('PAUSED');
    expect(paused.data?.pausePromotionCampaign.pausedReason).toBeNull();
    // Every batch job left ran once more, found the campaign paused and was dropped: nothing can send.
    await campaignQueueDrained(stack.app);
    const later = (await readCampaign(url(), campaign.id))!;
    expect(later.status).toBe('PAUSED');
    expect(later.batchesDone).toBeLessThan(6);
    // Whatever reached SMN is counted: no batch went out after the pause took hold.
    expect(await receivedNumbers(stack.simulator)).toHaveLength(later.sent);

    const resumed = await execute(url(), ResumePromotionCampaignDocument, { id: campaign.id });
    expect(resumed.data?.resumePromotionCampaign.status).toBe('RUNNING');
    await vi.waitFor(
      async () => expect((await readCampaign(url(), campaign.id))!.batchesDone).toBeGreaterThan(later.batchesDone),
      { timeout: 8_000, interval: 100 },
    );
    const cancelled = await execute(url(), CancelPromotionCampaignDocument, { id: campaign.id });
    expect(cancelled.data?.cancelPromotionCampaign.status).toBe('CANCELLED');
    // The batch in flight at the cancel (if any) is counted, every other job is dropped.
    await campaignQueueDrained(stack.app);
    const final = (await readCampaign(url(), campaign.id))!;
    expect(final.status).toBe('CANCELLED');
    expect(final.remaining).toBeGreaterThan(0);
    expect(addsUp(final)).toBe(true);
    const sentNumbers = await receivedNumbers(stack.simulator);
    expect(new Set(sentNumbers).size).toBe(sentNumbers.length);
    expect(sentNumbers.length).toBe(final.sent);

    // Illegal transitions answer BAD_USER_INPUT with the current status.
    const refusals = [
      await execute(url(), StartPromotionCampaignDocument, { id: campaign.id }),
      await execute(url(), ResumePromotionCampaignDocument, { id: campaign.id }),
      await execute(url(), PausePromotionCampaignDocument, { id: campaign.id }),
      await execute(url(), CancelPromotionCampaignDocument, { id: campaign.id }),
    ];
    for (const refused of refusals) {
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', status: 'CANCELLED' });
    }
    const addLate = await execute(url(), AddPromotionCampaignRecipientsDocument, {
      input: { campaignId: campaign.id, endpoints: numbers(1, 90_000) },
    });
    expect(addLate.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', status: 'CANCELLED' });
  });

  it("batches larger than the creator's whole recipient quota pause the campaign with QUOTA_EXCEEDED, nothing sent", async () => {
    await stack.simulator.reset();
    // A prefix of its own: the stack's app (no quota) must not take these batches from the queue.
    await stack.withApp({ QUOTA_RECIPIENTS_PER_MINUTE: '100', REDIS_KEY_PREFIX: uniquePrefix() }, async (tight) => {
      const campaign = await createCampaign(tight.graphqlUrl, { messagesPerSecond: 1000 });
      await addRecipients(tight.graphqlUrl, campaign.id, numbers(1500, 40_000));
      await startCampaign(tight.graphqlUrl, campaign.id);
      const paused = await campaignReaches(tight.graphqlUrl, campaign.id, 'PAUSED');
      expect(paused.pausedReason?.code).toBe('QUOTA_EXCEEDED');
      expect(paused.pausedReason?.smnCode).toBeNull();
      expect(paused).toMatchObject({ batchesDone: 0, sent: 0, unknown: 0, remaining: 1500 });
      expect(await stack.simulator.requests()).toEqual([]);
    });
  });

  it('a template SMN rejects when sending (not a promotion template) pauses the campaign after the first batch; resume tries that batch again', async () => {
    await stack.simulator.reset();
    // Paced at one batch a second: the second batch is not yet due when the first is refused.
    const campaign = await createCampaign(url(), {
      smsTemplateId: SIMULATOR_IDS.notPromotionTemplate,
      messagesPerSecond: 1000,
    });
    await addRecipients(url(), campaign.id, numbers(3000, 20_000));
    await startCampaign(url(), campaign.id);
    const paused = await campaignReaches(url(), campaign.id, 'PAUSED');
    expect(paused.pausedReason?.code).toBe('SMN_REJECTED');
    expect(paused.pausedReason?.message).toContain('SMN.0188');
    expect(paused.pausedReason?.smnCode).toBe('SMN.0188');
    expect(paused).toMatchObject({ batchesDone: 0, sent: 0, failed: 0, remaining: 3000 });
    // The other batches' jobs ran, found the campaign paused and were dropped: one SMN call in all.
    await campaignQueueDrained(stack.app);
    expect(await stack.simulator.requests()).toHaveLength(1);
    const resumed = await execute(url(), ResumePromotionCampaignDocument, { id: campaign.id });
    expect(resumed.data?.resumePromotionCampaign).toMatchObject({ status: 'RUNNING', pausedReason: null });
    const again = await campaignReaches(url(), campaign.id, 'PAUSED');
    expect(again.pausedReason?.code).toBe('SMN_REJECTED');
    expect(await stack.simulator.requests()).toHaveLength(2);
  });

  it('a batch that failed with nothing sent is retried, and counted failed with its code after the last attempt', async () => {
    await stack.simulator.reset();
    // SMN throttles the first three attempts; the fourth goes through.
    await stack.simulator.fault({ kind: 'rate-limit', times: 3 });
    const retried = await createCampaign(url());
    await addRecipients(url(), retried.id, numbers(1500, 30_000));
    await startCampaign(url(), retried.id);
    const done = await campaignReaches(url(), retried.id, 'COMPLETED');
    expect(done).toMatchObject({ sent: 1500, failed: 0, unknown: 0 });

    await stack.withApp({ CAMPAIGN_BATCH_ATTEMPTS: '2', REDIS_KEY_PREFIX: uniquePrefix() }, async (app) => {
      await stack.simulator.reset();
      await stack.simulator.fault({ kind: 'rate-limit', times: 6 });
      const failing = await createCampaign(app.graphqlUrl);
      await addRecipients(app.graphqlUrl, failing.id, numbers(1000, 40_000));
      await startCampaign(app.graphqlUrl, failing.id);
      const finished = await campaignReaches(app.graphqlUrl, failing.id, 'COMPLETED');
      expect(finished).toMatchObject({ failed: 1000, sent: 0, unknown: 0, remaining: 0 });
      // One SMN call per attempt, CAMPAIGN_BATCH_ATTEMPTS of them.
      expect(await stack.simulator.requests()).toHaveLength(2);
      const page = await readCampaign(app.graphqlUrl, failing.id);
      expect(page?.failures.nodes[0]?.code).toBe('SMN_RATE_LIMITED');
      expect(page?.failures.nodes[0]?.smnCode).toBeNull();
      expect(page?.failures.nodes).toHaveLength(100);
      expect(page?.failures.pageInfo.hasNextPage).toBe(true);
    });
  });

  it('a startAt in the future makes the start SCHEDULED; sending begins then', async () => {
    await stack.simulator.reset();
    const startAt = new Date(Date.now() + 2_000);
    const campaign = await createCampaign(url(), { startAt: startAt.toISOString() });
    await addRecipients(url(), campaign.id, numbers(1200, 60_000));
    const started = await startCampaign(url(), campaign.id);
    expect(started).toMatchObject({ status: 'SCHEDULED', startedAt: null, batches: 2 });
    expect((await readCampaign(url(), campaign.id))?.status).toBe('SCHEDULED');
    expect(await receivedNumbers(stack.simulator)).toEqual([]);
    const done = await campaignReaches(url(), campaign.id, 'COMPLETED', 15_000);
    expect(new Date(done.startedAt!).getTime()).toBeGreaterThanOrEqual(startAt.getTime());
    // No batch began before startAt (each one logs as it goes to SMN, with the time).
    const sending = stack.app.logs
      .entries()
      .filter((entry) => entry.msg === 'campaign batch sending' && entry.campaignId === campaign.id);
    expect(sending).toHaveLength(2);
    for (const entry of sending) expect(entry.time as number).toBeGreaterThanOrEqual(startAt.getTime());
    expect(done.sent).toBe(1200);
  });

  it('recipients: invalid numbers refuse the call, or are skipped and counted without echoing them', async () => {
    const campaign = await createCampaign(url());
    const bad = ['+8613912340001', 'not-a-number-SECRET', '+8613912340002', '12'];
    const refused = await execute(url(), AddPromotionCampaignRecipientsDocument, {
      input: { campaignId: campaign.id, endpoints: bad },
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.text).not.toContain('SECRET');
    expect((await readCampaign(url(), campaign.id))?.recipients).toBe(0);
    const skipped = await execute(url(), AddPromotionCampaignRecipientsDocument, {
      input: { campaignId: campaign.id, endpoints: bad, skipInvalid: true },
    });
    expect(skipped.data?.addPromotionCampaignRecipients).toMatchObject({
      added: 2,
      invalid: 2,
      invalidSamples: [{ index: 1 }, { index: 3 }],
    });
    expect(skipped.text).not.toContain('SECRET');
    const tooMany = await execute(url(), AddPromotionCampaignRecipientsDocument, {
      input: { campaignId: campaign.id, endpoints: numbers(10_001) },
    });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const empty = await createCampaign(url());
    const noRecipients = await execute(url(), StartPromotionCampaignDocument, { id: empty.id });
    expect(noRecipients.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', status: 'DRAFT' });
    const unknown = await execute(url(), StartPromotionCampaignDocument, { id: 'cmp_nope' });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('past CAMPAIGN_MAX_RECIPIENTS nothing from the call is added', async () => {
    await stack.withApp({ CAMPAIGN_MAX_RECIPIENTS: '10', REDIS_KEY_PREFIX: uniquePrefix() }, async (app) => {
      const campaign = await createCampaign(app.graphqlUrl);
      await addRecipients(app.graphqlUrl, campaign.id, numbers(8));
      const over = await execute(app.graphqlUrl, AddPromotionCampaignRecipientsDocument, {
        input: { campaignId: campaign.id, endpoints: numbers(5, 8) },
      });
      expect(over.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(over.errors?.[0]?.message).toContain('CAMPAIGN_MAX_RECIPIENTS');
      expect((await readCampaign(app.graphqlUrl, campaign.id))?.recipients).toBe(8);
      // Duplicates do not count against the limit.
      const fits = await addRecipients(app.graphqlUrl, campaign.id, [...numbers(8), ...numbers(2, 8)]);
      expect(fits).toMatchObject({ added: 2, duplicatesRemoved: 8 });
    });
  });

  it('a retried create with the same idempotency key returns the same campaign; other input is refused', async () => {
    const input = { name: 'Retry me', smsTemplateId: 'tpl-a', idempotencyKey: `key-${Date.now()}` };
    const first = await execute(url(), CreatePromotionCampaignDocument, { input });
    const second = await execute(url(), CreatePromotionCampaignDocument, { input });
    expect(second.data?.createPromotionCampaign.id).toBe(first.data?.createPromotionCampaign.id);
    const other = await execute(url(), CreatePromotionCampaignDocument, { input: { ...input, name: 'Other' } });
    expect(other.errors?.[0]?.extensions?.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('concurrent adds never pass the limit; concurrent starts queue the batches once', async () => {
    await stack.withApp({ CAMPAIGN_MAX_RECIPIENTS: '1000', REDIS_KEY_PREFIX: uniquePrefix() }, async (app) => {
      await stack.simulator.reset();
      const campaign = await createCampaign(app.graphqlUrl);
      // Ten callers race to add 300 different numbers each: at most three calls fit.
      const adds = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          execute(app.graphqlUrl, AddPromotionCampaignRecipientsDocument, {
            input: { campaignId: campaign.id, endpoints: numbers(300, 50_000 + i * 1000) },
          }),
        ),
      );
      const accepted = adds.filter((result) => result.data?.addPromotionCampaignRecipients);
      expect(accepted).toHaveLength(3);
      expect(adds.filter((result) => result.errors?.[0]?.extensions?.code === 'BAD_USER_INPUT')).toHaveLength(7);
      expect((await readCampaign(app.graphqlUrl, campaign.id))?.recipients).toBe(900);

      const starts = await Promise.all(
        Array.from({ length: 10 }, () => execute(app.graphqlUrl, StartPromotionCampaignDocument, { id: campaign.id })),
      );
      expect(starts.filter((result) => result.data?.startPromotionCampaign)).toHaveLength(1);
      for (const refused of starts.filter((result) => result.errors)) {
        expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      }
      const done = await campaignReaches(app.graphqlUrl, campaign.id, 'COMPLETED');
      expect(done).toMatchObject({ sent: 900, batches: 1, batchesDone: 1 });
      // No second copy of the batch is left to run: it went to SMN once.
      await campaignQueueDrained(app);
      expect(await receivedNumbers(stack.simulator)).toHaveLength(900);
    });
  });

  it('refuses hostile reads cheaply: forged ids, cursors and page sizes', async () => {
    const long = `cmp_${'a'.repeat(100_000)}`;
    const forged = await execute(url(), PromotionCampaignsDocument, { first: 5, after: long });
    expect(forged.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(forged.text).not.toContain('aaaaaaaaaa');
    const missing = await readCampaign(url(), long);
    expect(missing).toBeUndefined();
    const campaign = await createCampaign(url());
    const badCursor = await execute(url(), PromotionCampaignsDocument, { first: 1000 });
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const { PromotionCampaignDocument } = await import('../../client/index.js');
    const failures = await execute(url(), PromotionCampaignDocument, {
      id: campaign.id,
      failuresAfter: 'not-a-cursor',
    });
    expect(failures.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const tooMany = await execute(url(), PromotionCampaignDocument, { id: campaign.id, failuresFirst: 100_000 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const longName = await execute(url(), CreatePromotionCampaignDocument, {
      input: { name: 'x'.repeat(201), smsTemplateId: 'tpl' },
    });
    expect(longName.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const pace = await execute(url(), CreatePromotionCampaignDocument, {
      input: { name: 'x', smsTemplateId: 'tpl', messagesPerSecond: 100_001 },
    });
    expect(pace.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('lists campaigns newest first, a page at a time, filtered by status', async () => {
    const page = await execute(url(), PromotionCampaignsDocument, { first: 2 });
    const nodes = page.data!.promotionCampaigns.nodes;
    expect(nodes).toHaveLength(2);
    expect(nodes[0]!.createdAt >= nodes[1]!.createdAt).toBe(true);
    expect(page.data!.promotionCampaigns.pageInfo.hasNextPage).toBe(true);
    const next = await execute(url(), PromotionCampaignsDocument, {
      first: 2,
      after: page.data!.promotionCampaigns.pageInfo.endCursor ?? null,
    });
    expect(next.data!.promotionCampaigns.nodes[0]!.id).not.toBe(nodes[0]!.id);
    expect(next.data!.promotionCampaigns.nodes[0]!.id < nodes[1]!.id).toBe(true);
    const completed = await execute(url(), PromotionCampaignsDocument, { first: 100, status: 'COMPLETED' });
    expect(completed.data!.promotionCampaigns.nodes.length).toBeGreaterThan(0);
    expect(completed.data!.promotionCampaigns.nodes.every((node) => node.status === 'COMPLETED')).toBe(true);
  });
});

describe('without Redis', () => {
  const stack = useStack({});

  it('warns at start-up that campaigns run in this process and do not survive a restart', () => {
    const warning = stack.app.logs.entries().find((entry) => entry.component === 'campaigns' && entry.level === 40);
    expect(String(warning?.msg)).toContain('DO NOT SURVIVE A RESTART');
  });
});
