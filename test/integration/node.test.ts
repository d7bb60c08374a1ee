import { describe, expect, it } from 'vitest';
import { PublishPromotionSmsDocument } from '../../client/generated.js';
import { execute, post } from '../helpers/graphql.js';
import { promotionInput } from '../helpers/inputs.js';
import { mint } from '../helpers/jwks.js';
import { useStack } from '../helpers/stack.js';

const stack = useStack({ auth: true });
const NODE = `query Node($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on SmsSent { messageId }
    ... on PromotionSmsRequest { requestId messages { id } }
    ... on PromotionCampaign { name }
  }
}`;
const CREATE = `mutation { createPromotionCampaign(input: { name: "n", smsTemplateId: "tpl_promo_demo" }) { id } }`;

async function headersFor(tenant: string, scope = 'sms:promotion:send sms:read') {
  const token = await mint(stack.key, { scope, subject: `${tenant}-user`, claims: { tenant_id: tenant } });
  return { authorization: `Bearer ${token}` };
}

type NodeAnswer = { node: { __typename: string; id: string; [field: string]: unknown } | null };
const node = (id: string, headers: Record<string, string>) =>
  post<NodeAnswer>(stack.app.graphqlUrl, NODE, { id }, headers);

describe('Query.node', () => {
  it("reads back every entity by its global id within the tenant; another tenant's is null like an unknown", async () => {
    const acme = await headersFor('acme');
    const globex = await headersFor('globex');
    const sent = await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, { input: promotionInput() }, acme);
    const payload = sent.data!.publishPromotionSms;
    const first = payload.results[0];
    if (first?.__typename !== 'SmsSent') throw new Error(sent.text);
    const campaign = (await post<{ createPromotionCampaign: { id: string } }>(stack.app.graphqlUrl, CREATE, {}, acme))
      .data!.createPromotionCampaign.id;
    const request = (
      await post<{ promotionSmsRequest: { id: string } }>(
        stack.app.graphqlUrl,
        'query R($r: String!) { promotionSmsRequest(requestId: $r) { id } }',
        { r: payload.requestId },
        acme,
      )
    ).data!.promotionSmsRequest.id;

    expect((await node(first.id, acme)).data?.node).toEqual({
      __typename: 'SmsSent',
      id: first.id,
      messageId: first.messageId,
    });
    expect((await node(request, acme)).data?.node).toEqual({
      __typename: 'PromotionSmsRequest',
      id: request,
      requestId: payload.requestId,
      messages: [{ id: first.id }],
    });
    expect((await node(campaign, acme)).data?.node).toEqual({
      __typename: 'PromotionCampaign',
      id: campaign,
      name: 'n',
    });

    const unknownMessage = Buffer.from('SmsSent:no-such-message').toString('base64url');
    for (const id of [first.id, request, campaign, unknownMessage]) {
      const answer = await node(id, globex);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.node).toBeNull();
    }
  });

  it("asks the scope of the type's own query", async () => {
    const acme = await headersFor('acme');
    const sent = await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, { input: promotionInput() }, acme);
    const first = sent.data!.publishPromotionSms.results[0];
    if (first?.__typename !== 'SmsSent') throw new Error(sent.text);
    const answer = await node(first.id, await headersFor('acme', 'sms:promotion:send'));
    expect(answer.data?.node ?? null).toBeNull();
    expect(answer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses forged, oversized and malformed ids with BAD_USER_INPUT, reading nothing', async () => {
    const acme = await headersFor('acme');
    for (const id of [
      Buffer.from('OptOut:+8613812345678').toString('base64url'),
      'A'.repeat(10_000),
      'not an id',
      `${Buffer.from('SmsSent:x').toString('base64url')}==`,
    ]) {
      const answer = await node(id, acme);
      expect(answer.errors?.[0]?.extensions?.code, id.slice(0, 40)).toBe('BAD_USER_INPUT');
    }
  });
});
