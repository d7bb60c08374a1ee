import { describe, expect, it, vi } from 'vitest';
import { AddOptOutsDocument, PromotionCampaignUpdatesDocument } from '../../client/index.js';
import { print } from 'graphql';
import { execute } from '../helpers/graphql.js';
import { subscribe } from '../helpers/events.js';
import { REDIS_URL, redisForTests, uniquePrefix } from '../helpers/redis.js';
import { useApp } from '../helpers/stack.js';
import type { TestApp } from '../helpers/app.js';
import {
  addRecipients,
  addsUp,
  campaignReaches,
  createCampaign,
  numbers,
  readCampaign,
  receivedNumbers,
  startCampaign,
  useCampaignStack,
} from '../helpers/campaigns.js';

const redisAvailable = await redisForTests();

/** Batches this app sent for the campaign, from its own log lines. */
function batchesSentBy(app: TestApp, campaignId: string): number {
  return app.logs
    .entries()
    .filter((entry) => entry.campaignId === campaignId && entry.msg === 'promotion SMS batch published').length;
}

describe.runIf(redisAvailable)('a 25,000-number campaign on two replicas sharing one Redis', () => {
  const stack = useCampaignStack({ env: { REDIS_URL } });
  const second = useApp(stack, {});

  it(
    'completes in 25 batches, each number sent once, both replicas sending, progress streamed',
    { timeout: 120_000 },
    async () => {
      const url = stack.app.graphqlUrl;
      const audience = numbers(25_000, 100_000);
      const optedOut = [audience[10]!, audience[12_345]!, audience[24_999]!];
      await execute(url, AddOptOutsDocument, { input: { endpoints: optedOut } });
      const campaign = await createCampaign(url, { name: 'Big one' });
      // 700 duplicates: 500 exact, 200 written without "+86".
      const withDuplicates = [
        ...audience,
        ...audience.slice(0, 500),
        ...audience.slice(1000, 1200).map((n) => n.slice(3)),
      ];
      let added = 0;
      let duplicates = 0;
      for (let i = 0; i < withDuplicates.length; i += 10_000) {
        const chunk = await addRecipients(url, campaign.id, withDuplicates.slice(i, i + 10_000));
        added += chunk.added;
        duplicates += chunk.duplicatesRemoved;
      }
      expect({ added, duplicates }).toEqual({ added: 25_000, duplicates: 700 });

      // Watched from the other replica: updates cross replicas over Redis.
      const watch = subscribe(second.app.graphqlUrl, print(PromotionCampaignUpdatesDocument), { id: campaign.id });
      // The stream starts with the campaign as it is (a DRAFT): once that arrives, the other replica listens.
      await vi.waitFor(() => expect(watch.received.length).toBeGreaterThan(0), { timeout: 10_000, interval: 20 });
      await startCampaign(url, campaign.id);
      const done = await campaignReaches(url, campaign.id, 'COMPLETED', 90_000);
      expect(done).toMatchObject({
        recipients: 25_000,
        duplicatesRemoved: 700,
        batches: 25,
        batchesDone: 25,
        sent: 24_997,
        suppressed: 3,
        failed: 0,
        unknown: 0,
        remaining: 0,
      });
      expect(addsUp(done)).toBe(true);

      const received = await receivedNumbers(stack.simulator);
      expect(received).toHaveLength(24_997);
      expect(new Set(received).size).toBe(24_997);
      for (const number of optedOut) expect(received).not.toContain(number);

      const byFirst = batchesSentBy(stack.app, campaign.id);
      const bySecond = batchesSentBy(second.app, campaign.id);
      expect(byFirst + bySecond).toBe(25);
      expect(byFirst).toBeGreaterThan(0);
      expect(bySecond).toBeGreaterThan(0);

      const updateOf = (message: { data?: unknown }) =>
        (message.data as { promotionCampaignUpdates: { status: string; batchesDone: number } })
          .promotionCampaignUpdates;
      // The last update (COMPLETED) crosses to the other replica after the read above.
      await vi.waitFor(() => expect(updateOf(watch.received.at(-1)!)).toMatchObject({ status: 'COMPLETED' }), {
        timeout: 5_000,
        interval: 50,
      });
      const updates = watch.received.map(updateOf);
      await watch.close();
      // The draft first, then progress: each announcement is answered with the campaign as it is then,
      // so batches that finish together may arrive as one update (never a step back, never a repeat).
      expect(updates[0]).toMatchObject({ status: 'DRAFT', batchesDone: 0 });
      expect(updates.length).toBeGreaterThan(2);
      expect(updates.at(-1)).toMatchObject({ status: 'COMPLETED', batchesDone: 25 });
      const progress = updates.map((update) => update.batchesDone);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    },
  );

  it('messagesPerSecond paces the campaign across both replicas together', { timeout: 60_000 }, async () => {
    const url = stack.app.graphqlUrl;
    // 5 batches of 1000 at 2000 messages per second: a slot every 0.5 s, shared by four workers on two
    // replicas. Paced per replica it would take about 0.5 s; paced together at least 2 s.
    const campaign = await createCampaign(url, { name: 'Paced', messagesPerSecond: 2000 });
    await addRecipients(url, campaign.id, numbers(5000, 400_000));
    await startCampaign(url, campaign.id);
    const done = await campaignReaches(url, campaign.id, 'COMPLETED', 30_000);
    const took = new Date(done.finishedAt!).getTime() - new Date(done.startedAt!).getTime();
    expect(took).toBeGreaterThanOrEqual(2_000);
    expect(took).toBeLessThan(6_000);
    expect(batchesSentBy(stack.app, campaign.id) + batchesSentBy(second.app, campaign.id)).toBe(5);
  });

  it(
    'an API-only replica (CAMPAIGN_WORKERS=false) queues batches; a worker replica sends them',
    { timeout: 60_000 },
    async () => {
      const prefix = uniquePrefix();
      await stack.withApp({ REDIS_KEY_PREFIX: prefix, CAMPAIGN_WORKERS: 'false' }, async (api) => {
        const campaign = await createCampaign(api.graphqlUrl, { name: 'Queued only' });
        await addRecipients(api.graphqlUrl, campaign.id, numbers(2000, 500_000));
        await startCampaign(api.graphqlUrl, campaign.id);
        // No wait: a worker here would have taken the jobs long before the worker replica below starts,
        // and the last line shows this replica sent none.
        const metrics = await (await fetch(api.metricsUrl)).text();
        expect(metrics).toMatch(/smn_gateway_campaign_queue_depth 2/);
        expect((await readCampaign(api.graphqlUrl, campaign.id))?.batchesDone).toBe(0);
        await stack.withApp({ REDIS_KEY_PREFIX: prefix }, async (worker) => {
          const done = await campaignReaches(api.graphqlUrl, campaign.id, 'COMPLETED', 30_000);
          expect(done.sent).toBe(2000);
          expect(batchesSentBy(worker, campaign.id)).toBe(2);
        });
        expect(batchesSentBy(api, campaign.id)).toBe(0);
      });
    },
  );
});
