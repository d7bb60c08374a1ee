import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

const ignore = () => undefined;
const silentLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/**
 * A second subgraph, as a campaigns or CRM team would write it: it stores only SMN message ids and
 * lets the router fetch everything else about each SmsSent from smn-gateway.
 */
export const CAMPAIGNS_SDL = `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Campaign @key(fields: "id") {
    id: ID!
    name: String!
    messages: [SmsSent!]!
    "A message id that may have aged out of the send log (or never existed)."
    firstMessage: SmsSent
  }

  type SmsSent @key(fields: "messageId", resolvable: false) {
    messageId: ID!
  }

  type Query {
    campaign(id: ID!): Campaign
  }

  type Mutation {
    createCampaign(name: String!, messageIds: [ID!]!): Campaign!
  }
`;

interface StoredCampaign {
  readonly id: string;
  readonly name: string;
  readonly messageIds: readonly string[];
}

export interface CampaignsSubgraph {
  readonly url: string;
  readonly typeDefs: string;
  stop(): Promise<void>;
}

export async function startCampaignsSubgraph(): Promise<CampaignsSubgraph> {
  const campaigns = new Map<string, StoredCampaign>();
  const toEntity = (campaign: StoredCampaign) => ({
    ...campaign,
    messages: campaign.messageIds.map((messageId) => ({ __typename: 'SmsSent', messageId })),
    firstMessage: campaign.messageIds[0] ? { __typename: 'SmsSent', messageId: campaign.messageIds[0] } : null,
  });
  const schema = buildSubgraphSchema({
    typeDefs: parse(CAMPAIGNS_SDL),
    resolvers: {
      Query: {
        campaign: (_: unknown, { id }: { id: string }) => {
          const campaign = campaigns.get(id);
          return campaign ? toEntity(campaign) : null;
        },
      },
      Mutation: {
        createCampaign: (_: unknown, { name, messageIds }: { name: string; messageIds: string[] }) => {
          const campaign = { id: `c${campaigns.size + 1}`, name, messageIds };
          campaigns.set(campaign.id, campaign);
          return toEntity(campaign);
        },
      },
    },
  });
  const server = new ApolloServer({ schema, logger: silentLogger });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, typeDefs: CAMPAIGNS_SDL, stop: () => server.stop() };
}
