import { print } from 'graphql';
import { describe, expect, it, vi } from 'vitest';
import {
  AddPromotionCampaignRecipientsDocument,
  CancelPromotionCampaignDocument,
  CreatePromotionCampaignDocument,
  PausePromotionCampaignDocument,
  PromotionCampaignDocument,
  PromotionCampaignsDocument,
  PromotionCampaignUpdatesDocument,
  ResumePromotionCampaignDocument,
  SentSmsDocument,
  StartPromotionCampaignDocument,
} from '../../client/index.js';
import { execute, post } from '../helpers/graphql.js';
import { SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';
import { startEventsApp, subscribe } from '../helpers/events.js';
import { mint } from '../helpers/jwks.js';
import {
  addRecipients,
  campaignReaches,
  createCampaign,
  numbers,
  startCampaign,
  useCampaignStack,
} from '../helpers/campaigns.js';

const stack = useCampaignStack({ auth: true, simulatorEnv: { SIMULATOR_REPORT_DELAY_MS: '100' } });
const ALL = 'sms:promotion:send sms:read';
const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on PromotionCampaign { id name sent } }
}`;

async function as(tenant: string, scope = ALL) {
  const token = await mint(stack.key, { scope, subject: `${tenant}-user`, claims: { tenant_id: tenant } });
  return { authorization: `Bearer ${token}` };
}

describe('campaign scopes', () => {
  it('the six mutations need sms:promotion:send, the queries and the subscription sms:read', async () => {
    const url = stack.app.graphqlUrl;
    const readOnly = await as('scopes', 'sms:read');
    const sendOnly = await as('scopes', 'sms:promotion:send');
    const create = await execute(
      url,
      CreatePromotionCampaignDocument,
      { input: { name: 'x', smsTemplateId: 't' } },
      readOnly,
    );
    expect(create.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const campaign = await createCampaign(url, {}, sendOnly);
    for (const result of [
      await execute(
        url,
        AddPromotionCampaignRecipientsDocument,
        { input: { campaignId: campaign.id, endpoints: numbers(1) } },
        readOnly,
      ),
      await execute(url, StartPromotionCampaignDocument, { id: campaign.id }, readOnly),
      await execute(url, PausePromotionCampaignDocument, { id: campaign.id }, readOnly),
      await execute(url, ResumePromotionCampaignDocument, { id: campaign.id }, readOnly),
      await execute(url, CancelPromotionCampaignDocument, { id: campaign.id }, readOnly),
      await execute(url, PromotionCampaignDocument, { id: campaign.id }, sendOnly),
      await execute(url, PromotionCampaignsDocument, {}, sendOnly),
      await post(url, ENTITIES, { representations: [{ __typename: 'PromotionCampaign', id: campaign.id }] }, sendOnly),
    ]) {
      expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const watch = subscribe(url, print(PromotionCampaignUpdatesDocument), { id: campaign.id }, sendOnly);
    await watch.done;
    await watch.close();
    expect(JSON.stringify(watch.received)).toContain('FORBIDDEN');
    const unauthenticated = await execute(url, PromotionCampaignDocument, { id: campaign.id });
    expect(unauthenticated.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('tenant isolation', () => {
  it("another tenant's campaign answers exactly like an unknown id, everywhere", async () => {
    const url = stack.app.graphqlUrl;
    const acme = await as('acme');
    const globex = await as('globex');
    const campaign = await createCampaign(url, { name: 'Acme only' }, acme);
    await addRecipients(url, campaign.id, numbers(3), acme);

    const unknownId = 'cmp_000000000ffffffffffffffff';
    const mine = await execute(url, PromotionCampaignDocument, { id: campaign.id }, acme);
    expect(mine.data?.promotionCampaign?.name).toBe('Acme only');
    expect(
      (await execute(url, PromotionCampaignDocument, { id: campaign.id }, globex)).data?.promotionCampaign,
    ).toBeNull();
    const listed = await execute(url, PromotionCampaignsDocument, { first: 100 }, globex);
    expect(listed.data?.promotionCampaigns.nodes.map((node) => node.id)).not.toContain(campaign.id);
    const acmeList = await execute(url, PromotionCampaignsDocument, { first: 100 }, acme);
    expect(acmeList.data?.promotionCampaigns.nodes.map((node) => node.id)).toContain(campaign.id);

    const attempts = async (id: string) => [
      await execute(
        url,
        AddPromotionCampaignRecipientsDocument,
        { input: { campaignId: id, endpoints: numbers(1, 50) } },
        globex,
      ),
      await execute(url, StartPromotionCampaignDocument, { id }, globex),
      await execute(url, PausePromotionCampaignDocument, { id }, globex),
      await execute(url, ResumePromotionCampaignDocument, { id }, globex),
      await execute(url, CancelPromotionCampaignDocument, { id }, globex),
    ];
    const foreign = await attempts(campaign.id);
    const unknown = await attempts(unknownId);
    for (const [index, result] of foreign.entries()) {
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.errors?.[0]?.message).toBe(unknown[index]!.errors?.[0]?.message);
    }
    const entities = await post<{ _entities: unknown[] }>(
      url,
      ENTITIES,
      { representations: [{ __typename: 'PromotionCampaign', id: campaign.id }] },
      globex,
    );
    expect(entities.data?._entities).toEqual([null]);
    const own = await post<{ _entities: unknown[] }>(
      url,
      ENTITIES,
      { representations: [{ __typename: 'PromotionCampaign', id: campaign.id }] },
      acme,
    );
    expect(own.data?._entities).toEqual([{ id: campaign.id, name: 'Acme only', sent: 0 }]);
    const watch = subscribe(url, print(PromotionCampaignUpdatesDocument), { id: campaign.id }, globex);
    await watch.done;
    await watch.close();
    expect(JSON.stringify(watch.received)).toContain('BAD_USER_INPUT');
    // Still a DRAFT with its three numbers: nothing the other tenant did reached it.
    const after = await execute(url, PromotionCampaignDocument, { id: campaign.id }, acme);
    expect(after.data?.promotionCampaign).toMatchObject({ status: 'DRAFT', recipients: 3 });
  });
});

describe('delivery reports count on the campaign; its messages carry campaignId', () => {
  it('delivered and undelivered follow the reports; sentSms shows the campaign', async () => {
    const app = await startEventsApp(stack);
    try {
      const acme = await as('acme');
      // One reported UNDELIV, one EXPIRED, the others DELIVRD.
      const { undelivered, expired } = SIMULATOR_NUMBERS;
      const audience = [undelivered, expired, '+8613912340011', '+8613912340012', '+8613912340013'];
      const campaign = await createCampaign(app.graphqlUrl, {}, acme);
      await addRecipients(app.graphqlUrl, campaign.id, audience, acme);
      await startCampaign(app.graphqlUrl, campaign.id, acme);
      await campaignReaches(app.graphqlUrl, campaign.id, 'COMPLETED', 10_000, acme);
      const counted = await vi.waitFor(
        async () => {
          const current = (await execute(app.graphqlUrl, PromotionCampaignDocument, { id: campaign.id }, acme)).data
            ?.promotionCampaign;
          expect(current && current.delivered + current.undelivered).toBe(5);
          return current!;
        },
        { timeout: 8_000, interval: 100 },
      );
      expect(counted).toMatchObject({ sent: 5, delivered: 3, undelivered: 2 });
      const reported = (await stack.simulator.events())
        .filter((event) => event.type === 'Notification')
        .map((event) => JSON.parse(event.message as string) as { message_id?: string })
        .find((message) => message.message_id);
      const message = await execute(app.graphqlUrl, SentSmsDocument, { messageId: reported!.message_id! }, acme);
      expect(message.data?.sentSms?.campaignId).toBe(campaign.id);
    } finally {
      await app.close();
    }
  });
});
