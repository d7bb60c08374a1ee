import { Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import {
  CancelPromotionCampaignDocument,
  CreatePromotionCampaignDocument,
  PromotionCampaignsDocument,
} from '../../client/index.js';
import { execute } from '../helpers/graphql.js';
import { REDIS_URL, redisForTests, uniquePrefix } from '../helpers/redis.js';
import { useApp, useStack } from '../helpers/stack.js';
import { addRecipients, campaignReaches, createCampaign, numbers, startCampaign } from '../helpers/campaigns.js';

const redisAvailable = await redisForTests();
const prefix = uniquePrefix();
const INPUT = { name: 'Spring sale', smsTemplateId: 'tpl-spring', messagesPerSecond: 100_000 };

describe.runIf(redisAvailable)('CAMPAIGN_MAX_OPEN_PER_TENANT across replicas sharing Redis (issue 24, item 5)', () => {
  const env = {
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    CAMPAIGN_MAX_OPEN_PER_TENANT: '3',
    // Memory mode's budget does not apply to campaigns kept in Redis.
    CAMPAIGN_MEMORY_MAX_RECIPIENTS: '10',
  };
  const stack = useStack({ env });
  const second = useApp(stack, {});
  const redis = new Redis(REDIS_URL);
  afterAll(() => redis.disconnect());
  const open = async () =>
    (await execute(stack.app.graphqlUrl, PromotionCampaignsDocument, { first: 100 }))
      .data!.promotionCampaigns.nodes.filter(
        (campaign) => campaign.status !== 'CANCELLED' && campaign.status !== 'COMPLETED',
      )
      .map((campaign) => campaign.id);
  const create = (url: string, idempotencyKey?: string) =>
    execute(url, CreatePromotionCampaignDocument, { input: { ...INPUT, ...(idempotencyKey && { idempotencyKey }) } });
  const limitReached = (result: Awaited<ReturnType<typeof create>>) =>
    result.data === null &&
    result.errors?.[0]?.extensions?.code === 'CAMPAIGN_LIMIT_REACHED' &&
    result.errors[0].extensions.delivery === 'NOT_SENT';

  it('concurrent creates on two replicas: exactly the limit is created, the rest refused with nothing stored', async () => {
    const urls = [stack.app.graphqlUrl, second.app.graphqlUrl];
    const results = await Promise.all(Array.from({ length: 16 }, (_, i) => create(urls[i % 2]!)));
    const created = results.filter((result) => result.data?.createPromotionCampaign);
    expect(created).toHaveLength(3);
    expect(results.filter(limitReached)).toHaveLength(13);
    expect(await open()).toHaveLength(3);
    // Redis mode holds numbers in Redis: the memory budget (10) does not bound them.
    const id = created[0]!.data!.createPromotionCampaign.id;
    expect((await addRecipients(stack.app.graphqlUrl, id, numbers(50))).added).toBe(50);
  });

  it('a campaign that is cancelled, completes, or expires unstarted frees its place', async () => {
    const url = stack.app.graphqlUrl;
    const [first, secondId] = await open();
    expect(limitReached(await create(url))).toBe(true);

    await execute(url, CancelPromotionCampaignDocument, { id: first! });
    const replacement = (await create(second.app.graphqlUrl)).data!.createPromotionCampaign;
    expect(limitReached(await create(url))).toBe(true);

    await addRecipients(url, secondId!, numbers(20, 1000));
    await startCampaign(url, secondId!);
    expect(limitReached(await create(url))).toBe(true);
    await campaignReaches(url, secondId!, 'COMPLETED', 20_000);
    await createCampaign(url);
    expect(limitReached(await create(url))).toBe(true);

    // The draft's record expires after CAMPAIGN_RETENTION_DAYS; here, now.
    const record = `${prefix}v1:campaign:{${replacement.id}}`;
    await redis.pexpire(record, 1);
    await vi.waitFor(async () => expect(await redis.exists(record)).toBe(0), { timeout: 5_000, interval: 100 });
    expect((await create(url)).data?.createPromotionCampaign.status).toBe('DRAFT');
    expect(limitReached(await create(url))).toBe(true);
  });

  it('a create refused at the limit keeps no idempotency key: the same key creates once there is room', async () => {
    const url = stack.app.graphqlUrl;
    const refused = await create(url, 'launch-42');
    expect(limitReached(refused)).toBe(true);
    await execute(url, CancelPromotionCampaignDocument, { id: (await open())[0]! });
    const created = await create(url, 'launch-42');
    expect(created.data?.createPromotionCampaign.status).toBe('DRAFT');
    // The key now belongs to this campaign (a claim left by the refusal would point at one never made).
    const replayed = await create(second.app.graphqlUrl, 'launch-42');
    expect(replayed.data?.createPromotionCampaign.id).toBe(created.data?.createPromotionCampaign.id);
  });
});
