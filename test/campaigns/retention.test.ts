import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CancelPromotionCampaignDocument } from '../../client/index.js';
import { execute } from '../helpers/graphql.js';
import { REDIS_URL, redisForTests, uniquePrefix } from '../helpers/redis.js';
import { useStack } from '../helpers/stack.js';
import { addRecipients, campaignReaches, createCampaign, numbers, startCampaign } from '../helpers/campaigns.js';

const redisAvailable = await redisForTests();
const prefix = uniquePrefix();

describe.runIf(redisAvailable)('what a campaign leaves in Redis, and for how long', () => {
  const stack = useStack({ env: { REDIS_URL, REDIS_KEY_PREFIX: prefix, CAMPAIGN_RETENTION_DAYS: '2' } });
  const redis = new Redis(REDIS_URL);
  afterAll(() => redis.disconnect());
  const key = (id: string, suffix = '') => `${prefix}v1:campaign:{${id}}${suffix}`;
  const twoDays = 2 * 86_400_000;

  it('a draft expires after the retention period; a started campaign lives until it finishes, then expires', async () => {
    const url = stack.app.graphqlUrl;
    const campaign = await createCampaign(url);
    await addRecipients(url, campaign.id, numbers(1500));
    for (const suffix of ['', ':recipients', ':canonical']) {
      const ttl = await redis.pttl(key(campaign.id, suffix));
      expect(ttl).toBeGreaterThan(twoDays - 60_000);
      expect(ttl).toBeLessThanOrEqual(twoDays);
    }
    await execute(url, CancelPromotionCampaignDocument, { id: campaign.id });
    expect(await redis.pttl(key(campaign.id))).toBeGreaterThan(twoDays - 60_000);

    const started = await createCampaign(url, { messagesPerSecond: 1000 });
    await addRecipients(url, started.id, numbers(2000, 5000));
    await startCampaign(url, started.id);
    expect(await redis.pttl(key(started.id))).toBe(-1);
    expect(await redis.pttl(key(started.id, ':recipients'))).toBe(-1);
    // Numbers are checked for duplicates only while recipients can be added.
    expect(await redis.exists(key(started.id, ':canonical'))).toBe(0);
    await campaignReaches(url, started.id, 'COMPLETED', 20_000);
    for (const suffix of ['', ':recipients', ':done']) {
      expect(await redis.pttl(key(started.id, suffix))).toBeGreaterThan(twoDays - 60_000);
    }
  });
});
