import { describe, expect, it, vi } from 'vitest';
import { redisForTests, startPrivateRedis, uniquePrefix } from '../helpers/redis.js';
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

describe.runIf(redisAvailable)('Redis stops answering in the middle of a campaign', () => {
  const stack = useCampaignStack({ app: false });

  it(
    'nothing is lost, nothing is sent twice: the campaign finishes once Redis is back',
    { timeout: 90_000 },
    async () => {
      const redis = await startPrivateRedis();
      try {
        await stack.withApp({ REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix() }, async (app) => {
          await stack.simulator.reset();
          // Two batches a second: Redis freezes (SIGSTOP, data kept) while batches are going out.
          const campaign = await createCampaign(app.graphqlUrl, { messagesPerSecond: 2000 });
          await addRecipients(app.graphqlUrl, campaign.id, numbers(8000, 700_000));
          await startCampaign(app.graphqlUrl, campaign.id);
          await campaignReachesBatches(app.graphqlUrl, campaign.id, 2);
          redis.pause();
          // The outage itself: Redis stays frozen this long (past the client's timeouts) whatever happens.
          await new Promise((resolve) => setTimeout(resolve, 4_000));
          redis.resume();
          const done = await campaignReaches(app.graphqlUrl, campaign.id, 'COMPLETED', 60_000);
          expect(addsUp(done)).toBe(true);
          expect(done.batchesDone).toBe(8);
          expect(done.sent + done.unknown).toBe(8000);
          const received = await receivedNumbers(stack.simulator);
          // Each number reached SMN at most once, and every number SMN got is counted sent or unknown.
          expect(new Set(received).size).toBe(received.length);
          expect(received.length).toBeGreaterThanOrEqual(done.sent);
          expect(received.length).toBeLessThanOrEqual(done.sent + done.unknown);
        });
      } finally {
        await redis.stop();
      }
    },
  );
});

function campaignReachesBatches(url: string, id: string, batches: number) {
  return vi.waitFor(
    async () => expect((await readCampaign(url, id))?.batchesDone ?? 0).toBeGreaterThanOrEqual(batches),
    { timeout: 10_000, interval: 50 },
  );
}
