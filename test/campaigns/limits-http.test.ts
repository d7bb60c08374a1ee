import { describe, expect, it } from 'vitest';
import {
  AddPromotionCampaignRecipientsDocument,
  CancelPromotionCampaignDocument,
  CreatePromotionCampaignDocument,
  PromotionCampaignsDocument,
} from '../../client/index.js';
import { execute } from '../helpers/graphql.js';
import { useStack } from '../helpers/stack.js';
import { addRecipients, createCampaign, numbers, readCampaign } from '../helpers/campaigns.js';

const INPUT = { name: 'Spring sale', smsTemplateId: 'tpl-spring' };

describe('campaign bounds over real HTTP, in memory mode (issue 24, item 5)', () => {
  const stack = useStack({ app: false });

  it('CAMPAIGN_MAX_OPEN_PER_TENANT: one more create is CAMPAIGN_LIMIT_REACHED, NOT_SENT, and creates nothing', async () => {
    await stack.withApp({ CAMPAIGN_MAX_OPEN_PER_TENANT: '2' }, async (app) => {
      const url = app.graphqlUrl;
      const first = await createCampaign(url);
      await createCampaign(url);
      const refused = await execute(url, CreatePromotionCampaignDocument, { input: INPUT });
      expect(refused.status).toBe(200);
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'CAMPAIGN_LIMIT_REACHED',
        delivery: 'NOT_SENT',
        setting: 'CAMPAIGN_MAX_OPEN_PER_TENANT',
        limit: 2,
      });
      expect(refused.errors?.[0]?.message).toMatch(/nothing was created/);
      const listed = await execute(url, PromotionCampaignsDocument, { first: 10 });
      expect(listed.data?.promotionCampaigns.nodes).toHaveLength(2);

      await execute(url, CancelPromotionCampaignDocument, { id: first.id });
      expect((await createCampaign(url)).status).toBe('DRAFT');
    });
  });

  it('CAMPAIGN_MEMORY_MAX_RECIPIENTS: an add past the replica budget is refused whole; a cancel gives numbers back', async () => {
    await stack.withApp({ CAMPAIGN_MEMORY_MAX_RECIPIENTS: '1500' }, async (app) => {
      const url = app.graphqlUrl;
      const first = await createCampaign(url);
      const second = await createCampaign(url);
      await addRecipients(url, first.id, numbers(1000));
      const input = { campaignId: second.id, endpoints: numbers(600, 5000) };
      const refused = await execute(url, AddPromotionCampaignRecipientsDocument, { input });
      expect(refused.data).toBeNull();
      expect(refused.errors?.[0]?.extensions).toMatchObject({
        code: 'CAMPAIGN_LIMIT_REACHED',
        delivery: 'NOT_SENT',
        setting: 'CAMPAIGN_MEMORY_MAX_RECIPIENTS',
        limit: 1500,
      });
      expect(refused.errors?.[0]?.message).toMatch(/Nothing from this call was added/);
      expect((await readCampaign(url, second.id))?.recipients).toBe(0);

      await execute(url, CancelPromotionCampaignDocument, { id: first.id });
      const added = await execute(url, AddPromotionCampaignRecipientsDocument, { input });
      expect(added.data?.addPromotionCampaignRecipients.added).toBe(600);
    });
  });
});
