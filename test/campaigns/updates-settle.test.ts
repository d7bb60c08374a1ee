import { describe, expect, it } from 'vitest';
import { SIMULATOR_ENDINGS } from '../../src/simulator/numbers.js';
import type { TestApp } from '../helpers/app.js';
import {
  addRecipients,
  campaignEngines,
  campaignReaches,
  createCampaign,
  startCampaign,
} from '../helpers/campaigns.js';
import { startEventsApp, subscribe } from '../helpers/events.js';
import { redisForTests, uniquePrefix } from '../helpers/redis.js';
import { useStack } from '../helpers/stack.js';

/**
 * promotionCampaignUpdates over graphql-ws, on both engines (in process; BullMQ and the campaign feed on
 * Redis): the campaign as it is first, the delivery counts that change after COMPLETED, and the end once
 * every message has a final status, or CAMPAIGN_UPDATES_SETTLE_SECONDS after COMPLETED when one never will.
 */

const hasRedis = await redisForTests();
// Reports come about 1 s after a send, as from SMN.
const stack = useStack({
  app: false,
  env: { QUOTA_RECIPIENTS_PER_MINUTE: '0', QUOTA_RECIPIENTS_PER_DAY: '0' },
  simulatorEnv: { SIMULATOR_REPORT_DELAY_MS: '1000' },
});
const UPDATES = `subscription($id: ID!) {
  promotionCampaignUpdates(id: $id) { status sent delivered undelivered }
}`;

interface Update {
  status: string;
  sent: number;
  delivered: number;
  undelivered: number;
}
const updatesOf = (received: Array<{ data?: unknown }>) =>
  received.map((event) => (event.data as { promotionCampaignUpdates: Update }).promotionCampaignUpdates);

let next = 5000;
const numberEnding = (suffix: string) => `+86139${String((next += 1)).padStart(4, '0')}${suffix}`;

async function withEventsApp(env: Record<string, string>, fn: (app: TestApp) => Promise<void>) {
  const app = await startEventsApp(stack, { ...env, CAMPAIGN_UPDATES_SETTLE_SECONDS: '2' });
  try {
    await fn(app);
  } finally {
    await app.close();
  }
}

describe.each(campaignEngines(hasRedis))('promotionCampaignUpdates settles and ends ($engine)', ({ env }) => {
  const shared = env.REDIS_URL ? { ...env, REDIS_KEY_PREFIX: uniquePrefix() } : env;

  it('starts from the campaign as it is, streams counts after COMPLETED, ends when every message is final', async () => {
    await withEventsApp(shared, async (app) => {
      const url = app.graphqlUrl;
      const campaign = await createCampaign(url, { name: 'Settles' });
      await addRecipients(url, campaign.id, [numberEnding(SIMULATOR_ENDINGS.undelivered), numberEnding('4321')]);
      const watch = subscribe(url, UPDATES, { id: campaign.id });
      try {
        await startCampaign(url, campaign.id);
        await watch.done;
        expect(watch.failure).toBeUndefined();
        const updates = updatesOf(watch.received);
        // The first is the campaign as it was when the stream began (DRAFT, or RUNNING if the start won).
        expect(['DRAFT', 'RUNNING', 'COMPLETED']).toContain(updates[0]!.status);
        expect(updates.at(-1)).toEqual({ status: 'COMPLETED', sent: 2, delivered: 1, undelivered: 1 });
        // Completed first, its reports a second later: counts that changed after COMPLETED were streamed.
        const completedAt = updates.findIndex((update) => update.status === 'COMPLETED');
        expect(updates[completedAt]).toMatchObject({ delivered: 0, undelivered: 0 });
        expect(new Set(updates.map((update) => JSON.stringify(update))).size).toBe(updates.length);
      } finally {
        await watch.close();
      }
    });
  });

  it('a subscriber after COMPLETED gets the campaign at once; with a message never reported it ends after the settle timeout', async () => {
    await withEventsApp(shared, async (app) => {
      const url = app.graphqlUrl;
      const campaign = await createCampaign(url, { name: 'Never settles' });
      await addRecipients(url, campaign.id, [numberEnding(SIMULATOR_ENDINGS.neverReported), numberEnding('4321')]);
      await startCampaign(url, campaign.id);
      await campaignReaches(url, campaign.id, 'COMPLETED');
      const watch = subscribe(url, UPDATES, { id: campaign.id });
      try {
        const started = performance.now();
        await watch.done;
        const took = performance.now() - started;
        expect(watch.failure).toBeUndefined();
        expect(updatesOf(watch.received)[0]).toMatchObject({ status: 'COMPLETED', sent: 2 });
        expect(updatesOf(watch.received).at(-1)).toEqual({
          status: 'COMPLETED',
          sent: 2,
          delivered: 1,
          undelivered: 0,
        });
        // CAMPAIGN_UPDATES_SETTLE_SECONDS=2, counted from when the stream first saw it COMPLETED.
        expect(took).toBeGreaterThanOrEqual(1_900);
        expect(took).toBeLessThan(6_000);
      } finally {
        await watch.close();
      }
    });
  });
});
