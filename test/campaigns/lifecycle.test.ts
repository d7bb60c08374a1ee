import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';
import { addRecipients, addsUp, campaignReaches, createCampaign, numbers, startCampaign } from '../helpers/campaigns.js';

describe('campaigns (in-process engine)', () => {
  const stack = useStack({ env: { QUOTA_RECIPIENTS_PER_MINUTE: '0', QUOTA_RECIPIENTS_PER_DAY: '0' } });

  it('sends a small campaign in batches of 1000 and counts add up', async () => {
    const url = stack.app.graphqlUrl;
    const campaign = await createCampaign(url);
    expect(campaign.status).toBe('DRAFT');
    const list = [...numbers(2500), ...numbers(10)];
    const added = await addRecipients(url, campaign.id, list);
    expect(added.added).toBe(2500);
    expect(added.duplicatesRemoved).toBe(10);
    const started = await startCampaign(url, campaign.id);
    expect(started.batches).toBe(3);
    const done = await campaignReaches(url, campaign.id, 'COMPLETED');
    expect(done.sent).toBe(2500);
    expect(done.batchesDone).toBe(3);
    expect(addsUp(done)).toBe(true);
  });
});
