import { readFile } from 'node:fs/promises';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SentSmsDocument } from '../../client/generated.js';
import { startCampaignsSubgraph, type CampaignsSubgraph } from '../helpers/campaigns-subgraph.js';
import { startHiveGateway } from '../helpers/hive-gateway.js';
import { startRouter, type RunningRouter } from '../helpers/router.js';
import { propagatedHeaders } from '../helpers/router-config.js';
import { execute, post } from '../helpers/graphql.js';
import { useStack } from '../helpers/stack.js';
import { national, SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';

const stack = useStack();
let campaigns: CampaignsSubgraph;
let ourSdl: string;
let composition: ReturnType<typeof composeServices>;

beforeAll(async () => {
  campaigns = await startCampaignsSubgraph();
  const service = await post<{ _service: { sdl: string } }>(stack.app.graphqlUrl, '{ _service { sdl } }');
  ourSdl = service.data!._service.sdl;
  composition = composeServices([
    { name: 'sms', typeDefs: parse(ourSdl), url: stack.app.graphqlUrl },
    { name: 'campaigns', typeDefs: parse(campaigns.typeDefs), url: campaigns.url },
  ]);
  if (composition.errors) throw new Error(composition.errors.map((error) => error.message).join('\n'));
});
afterAll(async () => {
  await campaigns?.stop();
});

const PUBLISH = /* GraphQL */ `
  mutation Publish($input: PublishPromotionSmsInput!) {
    publishPromotionSms(input: $input) {
      requestId
      sentCount
      failedCount
      results {
        __typename
        ... on SmsSent {
          messageId
          endpoint
          submittedAt
        }
        ... on SmsFailed {
          endpoint
          code
          smnCode
          message
        }
      }
    }
  }
`;

type PublishData = {
  publishPromotionSms: {
    requestId: string;
    results: Array<{ __typename: string; messageId?: string; endpoint: string; code?: string }>;
  };
};

describe('the running service as a Federation 2 subgraph', () => {
  it('serves _service { sdl } linking Federation 2, with SmsSent keyed by messageId, as committed', async () => {
    expect(ourSdl).toMatch(
      /extend schema\s+@link\(url: "https:\/\/specs\.apollo\.dev\/federation\/v2\.\d+", import: \[/,
    );
    expect(ourSdl).toMatch(/type SmsSent implements Node\s+@key\(fields: "messageId"\)/);
    expect(`${ourSdl}\n`).toBe(await readFile(new URL('../../subgraph.graphql', import.meta.url), 'utf8'));
  });

  it('composes with a subgraph that references SmsSent by key: no errors, no hints', () => {
    expect(composition.errors).toBeUndefined();
    expect((composition.hints ?? []).map((hint) => `${hint.definition.code}: ${hint.message}`)).toEqual([]);
  });
});

/** The routers the flows run through, and where each reports an entity we answer null for. */
const ROUTERS = [
  // Apollo Gateway reports the null only in `extensions.valueCompletion`.
  { name: 'Apollo Gateway', start: startRouter, nullEntityErrorPaths: [] },
  // Hive Gateway as an error: "Cannot return null for non-nullable field SmsSent.endpoint."
  { name: 'Hive Gateway', start: startHiveGateway, nullEntityErrorPaths: [['campaign', 'firstMessage', 'endpoint']] },
] as const;

describe.each(ROUTERS)('through a real $name (supergraph of sms + campaigns, real HTTP)', (subject) => {
  let router: RunningRouter;
  beforeAll(async () => {
    router = await subject.start(composition.supergraphSdl!);
  });
  afterAll(async () => {
    await router?.stop();
  });

  it('sends through the router, resolves SmsSent entities from us for another subgraph, forwards headers', async () => {
    const requestId = `fed-test-request-${subject.name.split(' ')[0]!.toLowerCase()}`;
    const published = await post<PublishData>(
      router.url,
      PUBLISH,
      {
        input: {
          endpoints: [SIMULATOR_NUMBERS.delivered, SIMULATOR_NUMBERS.noSuchNumber, '+447700900123'],
          smsTemplateId: 'tpl_fed',
        },
      },
      { 'x-request-id': requestId, authorization: 'Bearer test-token' },
    );
    expect(published.errors).toBeUndefined();
    const results = published.data!.publishPromotionSms.results;
    expect(results.map((result) => result.__typename)).toEqual(['SmsSent', 'SmsFailed', 'SmsSent']);
    expect(results[1]).toMatchObject({
      endpoint: SIMULATOR_NUMBERS.noSuchNumber,
      code: 'SMN_0167',
      smnCode: 'SMN.0167',
    });

    // smn-router received the router's forwarded request id: its log lines carry it.
    const tagged = stack.app.logs.entries().filter((entry) => entry.requestId === requestId);
    expect(tagged.map((entry) => entry.msg)).toContain('promotion SMS batch published');

    const messageIds = results.flatMap((result) => (result.messageId ? [result.messageId] : []));
    const created = await post<{ createCampaign: { id: string } }>(
      router.url,
      'mutation($ids: [ID!]!) { createCampaign(name: "Black Friday", messageIds: $ids) { id } }',
      { ids: messageIds },
    );
    expect(created.errors).toBeUndefined();

    const campaign = await post<{
      campaign: {
        name: string;
        messages: Array<Record<string, string> & { delivery?: { status: string } }>;
        firstMessage: Record<string, string>;
      };
    }>(
      router.url,
      `query($id: ID!) {
        campaign(id: $id) {
          name
          messages { __typename messageId endpoint submittedAt smsTemplateId requestId delivery { status } }
          firstMessage { endpoint }
        }
      }`,
      { id: created.data!.createCampaign.id },
    );
    expect(campaign.errors).toBeUndefined();
    const { messages } = campaign.data!.campaign;
    expect(messages.map((message) => [message.messageId, message.endpoint])).toEqual([
      [messageIds[0], SIMULATOR_NUMBERS.delivered],
      [messageIds[1], '+447700900123'],
    ]);
    for (const message of messages) {
      expect(message).toMatchObject({
        __typename: 'SmsSent',
        smsTemplateId: 'tpl_fed',
        requestId: published.data!.publishPromotionSms.requestId,
      });
      expect(new Date(message.submittedAt!).toISOString()).toBe(message.submittedAt);
      expect(message.delivery).toEqual({ status: 'SUBMITTED' }); // no reports in this stack: SMN_EVENTS off
    }
    expect(campaign.data!.campaign.firstMessage).toEqual({ endpoint: SIMULATOR_NUMBERS.delivered });
  });

  it('runs a PromotionCampaign through the router: create, add, start, read it back', async () => {
    const created = await post<{ createPromotionCampaign: { id: string; status: string } }>(
      router.url,
      'mutation { createPromotionCampaign(input: { name: "Via router", smsTemplateId: "tpl_fed" }) { id status } }',
    );
    expect(created.errors).toBeUndefined();
    const id = created.data!.createPromotionCampaign.id;
    const added = await post(
      router.url,
      `mutation($id: ID!) { addPromotionCampaignRecipients(input: { campaignId: $id, endpoints: ["${SIMULATOR_NUMBERS.delivered}", "${national(SIMULATOR_NUMBERS.delivered)}"] }) { added duplicatesRemoved } }`,
      { id },
    );
    expect(added.data).toEqual({ addPromotionCampaignRecipients: { added: 1, duplicatesRemoved: 1 } });
    await post(router.url, 'mutation($id: ID!) { startPromotionCampaign(id: $id) { status } }', { id });
    await expect
      .poll(async () => {
        const read = await post<{ promotionCampaign: { status: string; sent: number } }>(
          router.url,
          'query($id: ID!) { promotionCampaign(id: $id) { status sent } }',
          { id },
        );
        return read.data?.promotionCampaign;
      })
      .toEqual({ status: 'COMPLETED', sent: 1 });
  });

  it('resolves a message id we do not know to null', async () => {
    const created = await post<{ createCampaign: { id: string } }>(
      router.url,
      'mutation { createCampaign(name: "Old", messageIds: ["aged-out-id"]) { id } }',
    );
    const campaign = await post<{ campaign: { firstMessage: unknown } }>(
      router.url,
      'query($id: ID!) { campaign(id: $id) { name firstMessage { endpoint submittedAt } } }',
      { id: created.data!.createCampaign.id },
    );
    expect(campaign.data!.campaign.firstMessage).toBeNull();
    expect((campaign.errors ?? []).map((error) => error.path)).toEqual(subject.nullEntityErrorPaths);
  });

  it('passes BAD_USER_INPUT through with its code and field list intact', async () => {
    const result = await post(router.url, PUBLISH, {
      input: { endpoints: [SIMULATOR_NUMBERS.delivered, 'not-a-number', '12'], smsTemplateId: '../etc' },
    });
    expect(result.data ?? null).toBeNull();
    const [error] = result.errors ?? [];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (error?.extensions?.validationErrors as Array<{ field: string }>).map((entry) => entry.field);
    expect(fields).toEqual(['endpoints[1]', 'endpoints[2]', 'smsTemplateId']);
    expect(result.text).not.toContain('not-a-number');
    expect((await stack.simulator.requests()).length).toBeGreaterThan(0); // only the earlier, valid sends
  });
});

describe('_entities called directly (what the router sends us)', () => {
  const ENTITIES = `query($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on SmsSent { messageId endpoint smsTemplateId submittedAt } }
  }`;

  it('resolves a known key, gives null for an unknown one, and a typed error for a malformed one', async () => {
    const sent = await post<PublishData>(stack.app.graphqlUrl, PUBLISH, {
      input: { endpoints: [SIMULATOR_NUMBERS.delivered], smsTemplateId: 'tpl_direct' },
    });
    const messageId = sent.data!.publishPromotionSms.results[0]!.messageId!;

    const result = await post<{ _entities: Array<Record<string, unknown> | null> }>(stack.app.graphqlUrl, ENTITIES, {
      representations: [
        { __typename: 'SmsSent', messageId },
        { __typename: 'SmsSent', messageId: 'never-sent' },
        { __typename: 'SmsSent' },
        { __typename: 'SmsSent', messageId: 42 },
      ],
    });
    expect(result.data!._entities[0]).toMatchObject({
      messageId,
      endpoint: SIMULATOR_NUMBERS.delivered,
      smsTemplateId: 'tpl_direct',
    });
    expect(result.data!._entities.slice(1)).toEqual([null, null, null]);
    expect(result.errors?.map((error) => [error.path, error.extensions?.code])).toEqual([
      [['_entities', 2], 'BAD_USER_INPUT'],
      [['_entities', 3], 'BAD_USER_INPUT'],
    ]);
  });

  it('answers sentSms from the same log', async () => {
    const sent = await post<PublishData>(stack.app.graphqlUrl, PUBLISH, {
      input: { endpoints: ['+447700900123'], smsTemplateId: 'tpl_query' },
    });
    const messageId = sent.data!.publishPromotionSms.results[0]!.messageId!;
    const found = await execute(stack.app.graphqlUrl, SentSmsDocument, { messageId });
    expect(found.data?.sentSms).toMatchObject({
      messageId,
      endpoint: '+447700900123',
      smsTemplateId: 'tpl_query',
      signId: null,
      extendCode: null,
    });
    const missing = await execute(stack.app.graphqlUrl, SentSmsDocument, { messageId: 'nope' });
    expect(missing.errors).toBeUndefined();
    expect(missing.data?.sentSms).toBeNull();
  });
});

describe('the router-side files', () => {
  it('router.yaml forwards the headers the service reads: authorization and x-request-id', async () => {
    expect(await propagatedHeaders()).toEqual(['authorization', 'x-request-id']);
  });

  it('supergraph.yaml names a schema file that composes, routed to /graphql', async () => {
    const config = parseYaml(await readFile(new URL('../../supergraph.yaml', import.meta.url), 'utf8')) as {
      federation_version: string;
      subgraphs: Record<string, { routing_url: string; schema: { file: string } }>;
    };
    expect(config.federation_version).toMatch(/^=?2\./);
    const services = await Promise.all(
      Object.entries(config.subgraphs).map(async ([name, subgraph]) => {
        expect(new URL(subgraph.routing_url).pathname).toBe('/graphql');
        const sdl = await readFile(new URL(`../../${subgraph.schema.file}`, import.meta.url), 'utf8');
        return { name, typeDefs: parse(sdl), url: subgraph.routing_url };
      }),
    );
    expect(services.map((service) => service.name)).toEqual(['sms']);
    const composed = composeServices(services);
    expect(composed.errors).toBeUndefined();
  });

  it('returns field timings (ftv1) when a router asks for them', async () => {
    const result = await post(
      stack.app.graphqlUrl,
      '{ promotionSmsLimits { maxEndpoints } }',
      {},
      { 'apollo-federation-include-trace': 'ftv1' },
    );
    expect(JSON.parse(result.text).extensions?.ftv1).toEqual(expect.any(String));
  });
});
