import { readFile } from 'node:fs/promises';
import { composeServices } from '@apollo/composition';
import { IntrospectAndCompose, RemoteGraphQLDataSource } from '@apollo/gateway';
import { parse, type GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES } from '../../src/auth/caller.js';
import { SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';
import { startCampaignsSubgraph, type CampaignsSubgraph } from '../helpers/campaigns-subgraph.js';
import { post, type GraphQLResult } from '../helpers/graphql.js';
import { startHiveGateway } from '../helpers/hive-gateway.js';
import { mint } from '../helpers/jwks.js';
import { startRouter, type RunningRouter } from '../helpers/router.js';
import { useStack } from '../helpers/stack.js';

/**
 * The federation flows with TRUSTED_DOCUMENTS=require and no manifest: a router's query plans ask us
 * `_service` and `_entities` (served to any caller the schema serves), while a root field of ours
 * through the router is an ordinary document the router wrote, served only to a caller whose token
 * (forwarded by the router) carries the ad-hoc scope.
 */
const ADHOC = 'graphql:adhoc';
const stack = useStack({ auth: true, env: { TRUSTED_DOCUMENTS: 'require' } });

const tokens = { reader: '', sender: '', adhocSender: '' };
let campaigns: CampaignsSubgraph;
let supergraphSdl: string;

/** The supergraph as Apollo Gateway's own composition fetches it: `_service { sdl }` from each subgraph, no token. */
async function introspectAndCompose(): Promise<string> {
  const manager = new IntrospectAndCompose({
    subgraphs: [
      { name: 'sms', url: stack.app.graphqlUrl },
      { name: 'campaigns', url: campaigns.url },
    ],
  });
  const { supergraphSdl: sdl, cleanup } = await manager.initialize({
    update: () => undefined,
    healthCheck: async () => undefined,
    getDataSource: ({ url }) => new RemoteGraphQLDataSource({ ...(url !== undefined && { url }) }),
  });
  await cleanup();
  return sdl;
}

beforeAll(async () => {
  tokens.reader = await mint(stack.key, { scope: SCOPES.read });
  tokens.sender = await mint(stack.key, { scope: `${SCOPES.send} ${SCOPES.read}` });
  tokens.adhocSender = await mint(stack.key, { scope: `${SCOPES.send} ${SCOPES.read} ${ADHOC}` });
  campaigns = await startCampaignsSubgraph();
  supergraphSdl = await introspectAndCompose();
});
afterAll(async () => {
  await campaigns?.stop();
});

const OUTCOMES = ['by_id', 'adhoc', 'refused_unknown', 'refused_not_allowed'] as const;
type Outcome = (typeof OUTCOMES)[number];

/** smn_gateway_trusted_documents_total by outcome, as the service's metrics endpoint shows it now. */
async function trustedDocumentCounts(): Promise<Record<Outcome, number>> {
  const text = await (await fetch(stack.app.metricsUrl)).text();
  const counts = Object.fromEntries(OUTCOMES.map((outcome) => [outcome, 0])) as Record<Outcome, number>;
  for (const [, outcome, value] of text.matchAll(/^smn_gateway_trusted_documents_total\{outcome="(\w+)"\} (\d+)$/gm)) {
    if ((OUTCOMES as readonly string[]).includes(outcome!)) counts[outcome as Outcome] = Number(value);
  }
  return counts;
}

/** How the counts move while `fn` runs (every outcome listed, 0 when it did not move). */
async function countsDuring(fn: () => Promise<void>): Promise<Record<Outcome, number>> {
  const before = await trustedDocumentCounts();
  await fn();
  const after = await trustedDocumentCounts();
  return Object.fromEntries(OUTCOMES.map((outcome) => [outcome, after[outcome] - before[outcome]])) as Record<
    Outcome,
    number
  >;
}

const moved = (changes: Partial<Record<Outcome, number>>): Record<Outcome, number> => ({
  by_id: 0,
  adhoc: 0,
  refused_unknown: 0,
  refused_not_allowed: 0,
  ...changes,
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const PUBLISH = /* GraphQL */ `
  mutation Publish($input: PublishPromotionSmsInput!) {
    publishPromotionSms(input: $input) {
      requestId
      results {
        __typename
        ... on SmsSent {
          messageId
          endpoint
        }
        ... on SmsFailed {
          endpoint
          code
          smnCode
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

const CAMPAIGN = `query($id: ID!) {
  campaign(id: $id) {
    name
    messages { __typename messageId endpoint smsTemplateId requestId delivery { status } }
    firstMessage { endpoint }
  }
}`;

type CampaignData = {
  campaign: {
    name: string;
    messages: Array<Record<string, string> & { delivery?: { status: string } }>;
    firstMessage: { endpoint: string } | null;
  };
};

describe('composition under TRUSTED_DOCUMENTS=require', () => {
  it('serves _service { sdl } without a token and to a token with only the read scope, as committed', async () => {
    const committed = await readFile(new URL('../../subgraph.graphql', import.meta.url), 'utf8');
    const changes = await countsDuring(async () => {
      for (const headers of [{}, bearer(tokens.reader)]) {
        const service = await post<{ _service: { sdl: string } }>(
          stack.app.graphqlUrl,
          '{ _service { sdl } }',
          {},
          headers,
        );
        expect(service.status).toBe(200);
        expect(service.errors).toBeUndefined();
        expect(`${service.data!._service.sdl}\n`).toBe(committed);
      }
    });
    expect(changes).toEqual(moved({ adhoc: 2 }));
  });

  it("answers Apollo Gateway's own composition fetch (IntrospectAndCompose), with the supergraph of the committed SDL", async () => {
    let composed = '';
    const changes = await countsDuring(async () => {
      composed = await introspectAndCompose();
    });
    expect(changes).toEqual(moved({ adhoc: 1 })); // query __ApolloGetServiceDefinition__ { _service { sdl } }
    const committed = composeServices([
      {
        name: 'sms',
        typeDefs: parse(await readFile(new URL('../../subgraph.graphql', import.meta.url), 'utf8')),
        url: stack.app.graphqlUrl,
      },
      { name: 'campaigns', typeDefs: parse(campaigns.typeDefs), url: campaigns.url },
    ]);
    expect(committed.errors).toBeUndefined();
    expect(composed).toBe(committed.supergraphSdl);
    expect(supergraphSdl).toBe(composed);
  });
});

/**
 * How each router hands on a subgraph's refusal (the service answers HTTP 400 with the code):
 * Apollo Gateway turns a non-2xx subgraph answer into its own error (`400: Bad Request`,
 * INTERNAL_SERVER_ERROR) carrying the subgraph's answer in `extensions.response`; Hive Gateway passes
 * the subgraph's error on as it is. Both answer the client with HTTP 200.
 */
interface RouterUnderTest {
  readonly name: string;
  start(supergraphSdl: string): Promise<RunningRouter>;
  /** The code the client sees on the router's first error. */
  readonly refusedCode: string;
  /** The subgraph's own code, where this router's error carries it. */
  subgraphCode(error: GraphQLFormattedError): unknown;
  /** `_entities` requests one campaign { messages firstMessage } makes the router send us. */
  readonly entityFetches: number;
  /**
   * Where the router reports an entity we answer null for (an unknown message id) under a nullable
   * field whose own fields are non-null: Apollo Gateway only in `extensions.valueCompletion`, Hive
   * Gateway as an error ("Cannot return null for non-nullable field SmsSent.endpoint."). Both answer
   * `firstMessage: null`.
   */
  readonly nullEntityErrorPaths: ReadonlyArray<ReadonlyArray<string | number>>;
}

const ROUTERS: readonly RouterUnderTest[] = [
  {
    name: 'Apollo Gateway',
    start: startRouter,
    refusedCode: 'INTERNAL_SERVER_ERROR',
    subgraphCode: (error) => {
      const response = error.extensions?.response as
        { status?: number; body?: { errors?: GraphQLFormattedError[] } } | undefined;
      expect(response?.status).toBe(400);
      return response?.body?.errors?.[0]?.extensions?.code;
    },
    entityFetches: 2, // one per path (messages, firstMessage), sent in parallel
    nullEntityErrorPaths: [],
  },
  {
    name: 'Hive Gateway',
    start: startHiveGateway,
    refusedCode: 'PERSISTED_QUERY_NOT_ALLOWED',
    subgraphCode: (error) => error.extensions?.code,
    entityFetches: 1, // both paths batched into one document (`_v0__entities: _entities(...)`, ...)
    nullEntityErrorPaths: [['campaign', 'firstMessage', 'endpoint']],
  },
];

describe.each(ROUTERS)('through $name, with TRUSTED_DOCUMENTS=require on the sms subgraph', (subject) => {
  let router: RunningRouter;
  beforeAll(async () => {
    router = await subject.start(supergraphSdl);
  });
  afterAll(async () => {
    await router?.stop();
  });

  /** Sends to the service directly (a caller with the ad-hoc scope): message ids for the entity flows. */
  async function sentMessageIds(endpoints: string[]): Promise<{ ids: string[]; requestId: string }> {
    const sent = await post<PublishData>(
      stack.app.graphqlUrl,
      PUBLISH,
      { input: { endpoints, smsTemplateId: 'tpl_fed_td' } },
      bearer(tokens.adhocSender),
    );
    expect(sent.errors).toBeUndefined();
    const { results, requestId } = sent.data!.publishPromotionSms;
    return { ids: results.flatMap((result) => (result.messageId ? [result.messageId] : [])), requestId };
  }

  async function createCampaign(name: string, messageIds: string[]): Promise<string> {
    const created = await post<{ createCampaign: { id: string } }>(
      router.url,
      'mutation($name: String!, $ids: [ID!]!) { createCampaign(name: $name, messageIds: $ids) { id } }',
      { name, ids: messageIds },
    );
    expect(created.errors).toBeUndefined();
    return created.data!.createCampaign.id;
  }

  it('resolves SmsSent entities from us for a caller with only the read scope (the plan asks _entities)', async () => {
    const { ids, requestId } = await sentMessageIds([SIMULATOR_NUMBERS.delivered, '+447700900123']);
    const id = await createCampaign('Entities under require', ids);

    let campaign: GraphQLResult<CampaignData> | undefined;
    const changes = await countsDuring(async () => {
      campaign = await post<CampaignData>(router.url, CAMPAIGN, { id }, bearer(tokens.reader));
    });
    expect(campaign!.errors).toBeUndefined();
    const { messages, firstMessage } = campaign!.data!.campaign;
    expect(messages.map((message) => [message.messageId, message.endpoint])).toEqual([
      [ids[0], SIMULATOR_NUMBERS.delivered],
      [ids[1], '+447700900123'],
    ]);
    for (const message of messages) {
      expect(message).toMatchObject({ __typename: 'SmsSent', smsTemplateId: 'tpl_fed_td', requestId });
      expect(message.delivery).toEqual({ status: 'SUBMITTED' });
    }
    expect(firstMessage).toEqual({ endpoint: SIMULATOR_NUMBERS.delivered });
    expect(changes).toEqual(moved({ adhoc: subject.entityFetches }));
  });

  it('resolves a message id we do not know to null under require', async () => {
    const id = await createCampaign('Aged out', ['aged-out-id']);
    const campaign = await post<{ campaign: { firstMessage: unknown } }>(
      router.url,
      'query($id: ID!) { campaign(id: $id) { name firstMessage { endpoint submittedAt } } }',
      { id },
      bearer(tokens.reader),
    );
    expect(campaign.data!.campaign).toEqual({ name: 'Aged out', firstMessage: null });
    // Our `_entities` answers [null]; how the router reports that null is its own affair (see ROUTERS).
    expect((campaign.errors ?? []).map((error) => error.path)).toEqual(subject.nullEntityErrorPaths);
  });

  it('refuses publishPromotionSms through the router for a sender without the ad-hoc scope: nothing sent', async () => {
    const requestId = `fed-td-refused-${subject.name.split(' ')[0]!.toLowerCase()}`;
    const sentBefore = (await stack.simulator.requests()).length;
    let refused: GraphQLResult<PublishData> | undefined;
    const changes = await countsDuring(async () => {
      refused = await post<PublishData>(
        router.url,
        PUBLISH,
        { input: { endpoints: [SIMULATOR_NUMBERS.delivered], smsTemplateId: 'tpl_fed_td' } },
        { ...bearer(tokens.sender), 'x-request-id': requestId },
      );
    });
    expect(refused!.status).toBe(200);
    expect(refused!.data ?? null).toBeNull();
    expect(refused!.errors).toHaveLength(1);
    const [error] = refused!.errors!;
    expect(error!.extensions?.code).toBe(subject.refusedCode);
    expect(subject.subgraphCode(error!)).toBe('PERSISTED_QUERY_NOT_ALLOWED');
    expect(changes).toEqual(moved({ refused_not_allowed: 1 }));
    // The router's request reached the service (it forwarded the request id) and nothing was run.
    const logged = stack.app.logs.entries().filter((entry) => entry.requestId === requestId);
    expect(logged.map((entry) => [entry.operation, entry.outcome])).toEqual([
      ['unknown', 'PERSISTED_QUERY_NOT_ALLOWED'],
    ]);
    expect((await stack.simulator.requests()).length).toBe(sentBefore);
  });

  it('sends publishPromotionSms through the router for a sender with the ad-hoc scope, forwarding headers', async () => {
    const requestId = `fed-td-adhoc-${subject.name.split(' ')[0]!.toLowerCase()}`;
    const sentBefore = (await stack.simulator.requests()).length;
    let published: GraphQLResult<PublishData> | undefined;
    const changes = await countsDuring(async () => {
      published = await post<PublishData>(
        router.url,
        PUBLISH,
        {
          input: {
            endpoints: [SIMULATOR_NUMBERS.delivered, SIMULATOR_NUMBERS.noSuchNumber, '+447700900123'],
            smsTemplateId: 'tpl_fed_td',
          },
        },
        { ...bearer(tokens.adhocSender), 'x-request-id': requestId },
      );
    });
    expect(published!.errors).toBeUndefined();
    const { results } = published!.data!.publishPromotionSms;
    expect(results.map((result) => result.__typename)).toEqual(['SmsSent', 'SmsFailed', 'SmsSent']);
    expect(results[1]).toMatchObject({
      endpoint: SIMULATOR_NUMBERS.noSuchNumber,
      code: 'SMN_0167',
      smnCode: 'SMN.0167',
    });
    expect(changes).toEqual(moved({ adhoc: 1 }));
    const tagged = stack.app.logs.entries().filter((entry) => entry.requestId === requestId);
    expect(tagged.map((entry) => entry.msg)).toContain('promotion SMS batch published');
    expect((await stack.simulator.requests()).length).toBe(sentBefore + 1);
  });

  it('passes BAD_USER_INPUT through with its code and field list for an ad-hoc sender', async () => {
    const sentBefore = (await stack.simulator.requests()).length;
    let result: GraphQLResult<PublishData> | undefined;
    const changes = await countsDuring(async () => {
      result = await post<PublishData>(
        router.url,
        PUBLISH,
        { input: { endpoints: [SIMULATOR_NUMBERS.delivered, 'not-a-number', '12'], smsTemplateId: '../etc' } },
        bearer(tokens.adhocSender),
      );
    });
    expect(result!.data ?? null).toBeNull();
    const [error] = result!.errors ?? [];
    expect(error?.extensions?.code).toBe('BAD_USER_INPUT');
    const fields = (error?.extensions?.validationErrors as Array<{ field: string }>).map((entry) => entry.field);
    expect(fields).toEqual(['endpoints[1]', 'endpoints[2]', 'smsTemplateId']);
    expect(result!.text).not.toContain('not-a-number');
    expect(changes).toEqual(moved({ adhoc: 1 }));
    expect((await stack.simulator.requests()).length).toBe(sentBefore);
  });
});
