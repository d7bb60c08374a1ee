import { describe, expect, it } from 'vitest';
import {
  AddPromotionCampaignRecipientsDocument,
  CreatePromotionCampaignDocument,
  SmsCatalogDocument,
  SmsTemplateDocument,
  StartPromotionCampaignDocument,
} from '../../client/index.js';
import { execute } from '../helpers/graphql.js';
import { mint } from '../helpers/jwks.js';
import { useStack } from '../helpers/stack.js';
import { campaignReaches, numbers, receivedNumbers } from '../helpers/campaigns.js';

const stack = useStack({ auth: true, env: { QUOTA_RECIPIENTS_PER_MINUTE: '0', QUOTA_RECIPIENTS_PER_DAY: '0' } });
const as = async (scope = 'sms:read sms:promotion:send') => ({
  authorization: `Bearer ${await mint(stack.key, { scope, subject: 'catalog-user', claims: { tenant_id: 'catalog' } })}`,
});

describe('SMS templates and signatures from SMN', () => {
  it('lists templates across SMN pages behind our cursors, filters by name, reads one by id', async () => {
    const url = stack.app.graphqlUrl;
    const headers = await as();
    const first = await execute(url, SmsCatalogDocument, {}, headers);
    expect(first.errors).toBeUndefined();
    const page1 = first.data!.smsTemplates;
    expect(page1.nodes).toHaveLength(100);
    expect(page1.nodes[0]).toMatchObject({ id: 'tpl_promo_demo', name: 'Promotion demo', type: '3', status: '2' });
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await execute(url, SmsCatalogDocument, { after: page1.pageInfo.endCursor ?? null }, headers);
    const page2 = second.data!.smsTemplates;
    expect(page2.nodes).toHaveLength(50);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    expect(new Set([...page1.nodes, ...page2.nodes].map((node) => node.id)).size).toBe(150);
    // SMN was asked with offset/limit: our cursor is its offset.
    expect(await stack.simulator.catalogCalls()).toEqual(
      expect.arrayContaining([expect.stringContaining('offset=100&limit=100')]),
    );

    const small = await execute(url, SmsCatalogDocument, { first: 20, name: 'demo' }, headers);
    expect(small.data!.smsTemplates.nodes.map((node) => node.id)).toEqual(['tpl_promo_demo']);
    expect(first.data!.smsSigns).toEqual([
      expect.objectContaining({ id: 'sign_demo', name: 'Demo Shop', overseas: false, type: '2' }),
      expect.objectContaining({ id: 'sign_global', overseas: true, reply: null }),
    ]);

    const one = await execute(url, SmsTemplateDocument, { id: 'tpl_promo_007' }, headers);
    expect(one.data?.smsTemplate).toMatchObject({ id: 'tpl_promo_007', reply: 'Approved after edits.' });
    expect(one.data?.smsTemplate?.validUntil).toMatch(/^2027-/);
    expect((await execute(url, SmsTemplateDocument, { id: 'dead_template' }, headers)).data?.smsTemplate).toBeNull();
    const calls = (await stack.simulator.catalogCalls()).length;
    expect((await execute(url, SmsTemplateDocument, { id: 'not an id' }, headers)).data?.smsTemplate).toBeNull();
    expect(await stack.simulator.catalogCalls()).toHaveLength(calls);
    const badCursor = await execute(url, SmsCatalogDocument, { after: 'nope' }, headers);
    expect(badCursor.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('caches answers per replica: repeated and concurrent queries within the TTL make one SMN call', async () => {
    const url = stack.app.graphqlUrl;
    const headers = await as();
    const before = (await stack.simulator.catalogCalls()).length;
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => execute(url, SmsCatalogDocument, { first: 5, name: 'Promotion 1' }, headers)),
    );
    expect(answers.every((answer) => answer.data?.smsTemplates.nodes.length === 5)).toBe(true);
    await execute(url, SmsCatalogDocument, { first: 5, name: 'Promotion 1' }, headers);
    const calls = (await stack.simulator.catalogCalls()).slice(before);
    expect(calls.filter((call) => call.includes('sms_template_name=Promotion+1'))).toHaveLength(1);
  });

  it('SMN failing is SMN_UNAVAILABLE with the usual extensions (and is not cached)', async () => {
    const url = stack.app.graphqlUrl;
    const headers = await as();
    await stack.simulator.fault({ kind: 'status', status: 500, code: 'SMN.0018', times: 3 });
    const failed = await execute(url, SmsTemplateDocument, { id: 'tpl_failing_once' }, headers);
    expect(failed.errors?.[0]?.extensions).toMatchObject({
      code: 'SMN_UNAVAILABLE',
      delivery: 'NOT_SENT',
      smn: { httpStatus: 500, code: 'SMN.0018' },
    });
    await stack.simulator.reset();
    const again = await execute(url, SmsTemplateDocument, { id: 'tpl_failing_once' }, headers);
    expect(again.data?.smsTemplate?.id).toBe('tpl_failing_once');
  });

  it('needs sms:read', async () => {
    const url = stack.app.graphqlUrl;
    const sendOnly = await as('sms:promotion:send');
    expect((await execute(url, SmsCatalogDocument, {}, sendOnly)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await execute(url, SmsTemplateDocument, { id: 'x' }, sendOnly)).errors?.[0]?.extensions?.code).toBe(
      'FORBIDDEN',
    );
    expect((await execute(url, SmsTemplateDocument, { id: 'x' })).errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });
});

describe('campaigns check their template and signature with SMN before starting', () => {
  async function draft(input: { smsTemplateId: string; signId?: string }) {
    const url = stack.app.graphqlUrl;
    const headers = await as();
    const created = await execute(
      url,
      CreatePromotionCampaignDocument,
      { input: { name: 'Checked', ...input } },
      headers,
    );
    const id = created.data!.createPromotionCampaign.id;
    await execute(
      url,
      AddPromotionCampaignRecipientsDocument,
      { input: { campaignId: id, endpoints: numbers(5) } },
      headers,
    );
    return { id, start: () => execute(url, StartPromotionCampaignDocument, { id }, headers), headers };
  }

  it('an unknown template or signature is refused at start, naming the field, with nothing sent', async () => {
    await stack.simulator.reset();
    const unknownTemplate = await draft({ smsTemplateId: 'dead_campaign_template' });
    const refused = await unknownTemplate.start();
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      status: 'DRAFT',
      validationErrors: [{ field: 'smsTemplateId' }],
    });
    const unknownSign = await draft({ smsTemplateId: 'tpl_promo_demo', signId: 'sign_nobody_made' });
    expect((await unknownSign.start()).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      validationErrors: [{ field: 'signId' }],
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await receivedNumbers(stack.simulator)).toEqual([]);
    const known = await draft({ smsTemplateId: 'tpl_promo_demo', signId: 'sign_demo' });
    expect((await known.start()).errors).toBeUndefined();
    await campaignReaches(stack.app.graphqlUrl, known.id, 'COMPLETED', 10_000, known.headers);
  });

  it('with the catalog unreadable, the start goes ahead and the log says the check was skipped', async () => {
    await stack.simulator.reset();
    const campaign = await draft({ smsTemplateId: 'tpl_never_looked_up' });
    // The template lookup fails (SMN down for reads); the batch after it goes through.
    await stack.simulator.fault({ kind: 'status', status: 503, code: 'SMN.0018' });
    const started = await campaign.start();
    expect(started.errors).toBeUndefined();
    const done = await campaignReaches(stack.app.graphqlUrl, campaign.id, 'COMPLETED', 10_000, campaign.headers);
    expect(done.sent).toBe(5);
    expect(stack.app.logs.text).toContain('template and signature check skipped');
  });
});
