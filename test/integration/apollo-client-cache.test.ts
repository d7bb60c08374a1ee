import { ApolloClient, gql, HttpLink, InMemoryCache } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';
import type { TestApp } from '../helpers/app.js';
import { startEventsApp } from '../helpers/events.js';
import { post } from '../helpers/graphql.js';
import { useStack } from '../helpers/stack.js';

// Delivery reports come back as signed SMN callbacks, 200 ms after the send.
const stack = useStack({ app: false, simulatorEnv: { SIMULATOR_REPORT_DELAY_MS: '200' } });
let app: TestApp;
beforeAll(async () => {
  app = await startEventsApp(stack);
});
afterAll(() => app?.close());

const SEND = gql`
  mutation Send($input: PublishPromotionSmsInput!) {
    publishPromotionSms(input: $input) {
      requestId
      results {
        __typename
        ... on SmsSent {
          id
          messageId
          delivery {
            status
          }
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
const READ = gql`
  query Read($messageId: String!) {
    sentSms(messageId: $messageId) {
      id
      messageId
      delivery {
        status
      }
    }
  }
`;
const TEMPLATES = gql`
  query Templates($first: Int, $after: String) {
    smsTemplates(first: $first, after: $after) {
      edges {
        cursor
        node {
          id
          name
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`;

type Sent = {
  __typename: 'SmsSent';
  id: string;
  messageId: string;
  delivery: { status: string };
};
type Failed = {
  __typename: 'SmsFailed';
  endpoint: string;
  code: string;
  smnCode: string | null;
};

describe("Apollo Client's InMemoryCache, without type policies", () => {
  it("normalises a send's results by id, and a later read of the message updates them", async () => {
    const client = new ApolloClient({ link: new HttpLink({ uri: app.graphqlUrl }), cache: new InMemoryCache() });
    const sent = await client.mutate<{ publishPromotionSms: { results: Array<Sent | Failed> } }>({
      mutation: SEND,
      variables: {
        input: {
          endpoints: [SIMULATOR_NUMBERS.delivered, SIMULATOR_NUMBERS.noSuchNumber],
          smsTemplateId: 'tpl_promo_demo',
        },
      },
    });
    const [message, failed] = sent.data!.publishPromotionSms.results as [Sent, Failed];
    expect(failed).toMatchObject({ code: 'SMN_0167', smnCode: 'SMN.0167' });
    const key = client.cache.identify(message)!;
    expect(key).toBe(`SmsSent:${message.id}`);
    expect((client.cache.extract() as Record<string, unknown>)[key]).toMatchObject({
      messageId: message.messageId,
      delivery: { status: 'SUBMITTED' },
    });

    await vi.waitFor(
      async () => {
        await client.query({ query: READ, variables: { messageId: message.messageId }, fetchPolicy: 'network-only' });
        // The mutation's own result, read from the cache: the same normalised SmsSent, now updated.
        const fromSend = client.cache.readFragment<Sent>({
          id: key,
          fragment: gql`
            fragment S on SmsSent {
              id
              delivery {
                status
              }
            }
          `,
        });
        expect(fromSend?.delivery.status).toBe('DELIVERED');
      },
      { timeout: 10_000, interval: 300 },
    );
  });

  it('pages smsTemplates with relayStylePagination', async () => {
    const client = new ApolloClient({
      link: new HttpLink({ uri: app.graphqlUrl }),
      cache: new InMemoryCache({ typePolicies: { Query: { fields: { smsTemplates: relayStylePagination() } } } }),
    });
    type Page = {
      smsTemplates: {
        edges: Array<{ cursor: string; node: { id: string } }>;
        pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
      };
    };
    const first = await client.query<Page>({ query: TEMPLATES, variables: { first: 2 } });
    expect(first.data!.smsTemplates.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.data!.smsTemplates.pageInfo.startCursor).toBe(first.data!.smsTemplates.edges[0]!.cursor);
    const more = await client.query<Page>({
      query: TEMPLATES,
      variables: { first: 2, after: first.data!.smsTemplates.pageInfo.endCursor },
      // What fetchMore does: the next page from the server, merged into the cached list by relayStylePagination.
      fetchPolicy: 'network-only',
    });
    expect(more.data!.smsTemplates.edges.length).toBeGreaterThan(0);
    // The server's own answer for that page says items came before it.
    const raw = await post<Page>(app.graphqlUrl, print(TEMPLATES), {
      first: 2,
      after: first.data!.smsTemplates.pageInfo.endCursor,
    });
    expect(raw.data!.smsTemplates.pageInfo).toMatchObject({
      hasPreviousPage: true,
      startCursor: raw.data!.smsTemplates.edges[0]!.cursor,
      endCursor: raw.data!.smsTemplates.edges[1]!.cursor,
    });
    const merged = client.readQuery<Page>({ query: TEMPLATES, variables: { first: 2 } });
    const ids = merged!.smsTemplates.edges.map((edge) => edge.node.id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    expect(ids[0]).toBe('tpl_promo_demo');
  });
});
