import { describe, expect, it, vi } from 'vitest';
import { DateTime } from 'luxon';
import { CancelPromotionCampaignDocument } from '../../client/index.js';
import { execute } from '../helpers/graphql.js';
import {
  addRecipients,
  addsUp,
  campaignReaches,
  createCampaign,
  metricValue,
  numbers,
  readCampaign,
  startCampaign,
  useCampaignStack,
  waitedAgain,
} from '../helpers/campaigns.js';

const WAITING = 'smn_gateway_campaign_batches_total{outcome="waiting"}';

const ZONE = 'Asia/Shanghai';

describe('a campaign waits for the send window, and goes on when it opens (injected clock)', () => {
  // The clock starts 2.5 s before the window closes at 21:00 Shanghai time and runs at real speed;
  // the test moves it forward to the next opening.
  const start = DateTime.fromObject(
    { year: 2026, month: 6, day: 1, hour: 20, minute: 59, second: 57, millisecond: 500 },
    { zone: ZONE },
  );
  let offset = start.toMillis() - Date.now();
  const clock = { now: () => new Date(Date.now() + offset) };
  const stack = useCampaignStack({ env: { SEND_WINDOW: `07:00-21:00 ${ZONE}` }, start: { clock } });

  it(
    'stops sending at the close, says when it goes on in nextBatchAt, and resumes there',
    { timeout: 60_000 },
    async () => {
      const url = stack.app.graphqlUrl;
      offset = start.toMillis() - Date.now();
      // One batch a second: about two batches fit before 21:00.
      const campaign = await createCampaign(url, { messagesPerSecond: 1000 });
      await addRecipients(url, campaign.id, numbers(6000));
      await startCampaign(url, campaign.id);
      const nextOpening = start.plus({ days: 1 }).set({ hour: 7, minute: 0, second: 0, millisecond: 0 });
      const waiting = await vi.waitFor(
        async () => {
          const current = await readCampaign(url, campaign.id);
          expect(current?.nextBatchAt && new Date(current.nextBatchAt).getTime()).toBe(nextOpening.toMillis());
          return current!;
        },
        { timeout: 10_000, interval: 100 },
      );
      expect(waiting.status).toBe('RUNNING');
      expect(waiting.batchesDone).toBeGreaterThan(0);
      expect(waiting.batchesDone).toBeLessThan(6);
      // Nothing more goes out while the window is closed: every job left looks again, twice, and waits.
      await waitedAgain(stack.app, await metricValue(stack.app, WAITING), 2 * (6 - waiting.batchesDone));
      const stillWaiting = (await readCampaign(url, campaign.id))!;
      expect(stillWaiting.batchesDone).toBe(waiting.batchesDone);
      expect((await stack.simulator.requests()).length).toBe(waiting.batchesDone);

      // Morning: the clock jumps to 07:00:00 the next day.
      offset = nextOpening.toMillis() - Date.now();
      const done = await campaignReaches(url, campaign.id, 'COMPLETED', 20_000);
      expect(done).toMatchObject({ sent: 6000, batchesDone: 6, nextBatchAt: null });
      expect(addsUp(done)).toBe(true);
      expect(new Date(done.finishedAt!).getTime()).toBeGreaterThanOrEqual(nextOpening.toMillis());
    },
  );
});

describe("a campaign waits for its creator's recipient quota without using up attempts", () => {
  const stack = useCampaignStack({ env: { QUOTA_RECIPIENTS_PER_MINUTE: '1500', CAMPAIGN_BATCH_ATTEMPTS: '1' } });

  it('sends what the quota allows, then waits (RUNNING, nextBatchAt within the minute), failing nothing', async () => {
    const url = stack.app.graphqlUrl;
    const campaign = await createCampaign(url);
    await addRecipients(url, campaign.id, numbers(3000));
    await startCampaign(url, campaign.id);
    const waiting = await vi.waitFor(
      async () => {
        const current = await readCampaign(url, campaign.id);
        expect(current?.nextBatchAt && current.batchesDone).toBe(1);
        return current!;
      },
      { timeout: 8_000, interval: 100 },
    );
    const now = Date.now();
    expect(waiting.status).toBe('RUNNING');
    expect(new Date(waiting.nextBatchAt!).getTime()).toBeGreaterThan(now);
    expect(new Date(waiting.nextBatchAt!).getTime()).toBeLessThanOrEqual(now + 61_000);
    // The two jobs left look again, twice each, and wait: nothing sent, no attempt used.
    await waitedAgain(stack.app, await metricValue(stack.app, WAITING), 4);
    const later = (await readCampaign(url, campaign.id))!;
    expect(later).toMatchObject({ status: 'RUNNING', batchesDone: 1, sent: 1000, failed: 0, remaining: 2000 });
    const cancelled = await execute(url, CancelPromotionCampaignDocument, { id: campaign.id });
    expect(cancelled.data?.cancelPromotionCampaign).toMatchObject({ status: 'CANCELLED', nextBatchAt: null });
  });
});
