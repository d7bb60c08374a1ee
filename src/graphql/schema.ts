import 'reflect-metadata';
import { GraphQLSchema, printSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import type { SentMessages } from '../send/sent-messages.js';
import { serviceSdl, toSubgraphSchema } from './federation.js';
import { PromotionSmsResolver, type PublishPromotionSms } from './promotion-sms/resolver.js';
import { resolveSmsCommitResultType } from './promotion-sms/commit-result.js';
import { smsSentReferenceResolvers } from './sent-sms/reference.js';
import { SentSmsResolver } from './sent-sms/resolver.js';
import { OptOutsResolver } from './opt-outs/resolver.js';
import { createOptOuts, type OptOuts } from '../suppression/opt-outs.js';
import type { DeliveryFeed } from '../deliveries/feed.js';
import { scopeAuthChecker } from './auth-checker.js';
import { validateInput } from './validation.js';
import { CampaignsResolver } from './campaigns/resolver.js';
import { promotionCampaignReferenceResolvers } from './campaigns/reference.js';
import type { Campaigns } from '../campaigns/campaigns.js';
import { CatalogResolver } from './catalog/resolver.js';
import type { Catalog } from '../catalog/catalog.js';
import { HISTORY_OFF, type History } from '../history/history.js';
import { HistoryResolver } from './history/resolver.js';
import { NodeResolver, resolveNodeType } from './node/resolver.js';
import { SmsFailedResolver } from './promotion-sms/sms-failed.js';
import { WebhooksResolver } from './webhooks/resolver.js';
import type { Webhooks } from '../webhooks/webhooks.js';

export interface SchemaDependencies {
  readonly publishPromotionSms: PublishPromotionSms;
  /** Messages and requests read back, tenant-checked by the use case. */
  readonly sentMessages: SentMessages;
  readonly deliveryFeed: Pick<DeliveryFeed, 'subscribe'>;
  readonly optOuts: OptOuts;
  readonly campaigns: Campaigns;
  readonly catalog: Catalog;
  /** The send history's use cases (history/history.ts); absent: every history field answers HISTORY_DISABLED. */
  readonly history?: History | undefined;
  /** Tenants' webhook endpoints. */
  readonly webhooks: Webhooks;
}

/** The API as clients see it, built by TypeGraphQL from the decorated classes. */
async function buildApiSchema(deps: SchemaDependencies): Promise<GraphQLSchema> {
  const resolvers = new Map<unknown, unknown>([
    [PromotionSmsResolver, new PromotionSmsResolver(deps.publishPromotionSms)],
    [SentSmsResolver, new SentSmsResolver(deps.sentMessages, deps.deliveryFeed)],
    [OptOutsResolver, new OptOutsResolver(deps.optOuts)],
    [CampaignsResolver, new CampaignsResolver(deps.campaigns)],
    [CatalogResolver, new CatalogResolver(deps.catalog)],
    [HistoryResolver, new HistoryResolver(deps.history ?? HISTORY_OFF)],
    [NodeResolver, new NodeResolver(deps.sentMessages, deps.campaigns)],
    [SmsFailedResolver, new SmsFailedResolver()],
    [WebhooksResolver, new WebhooksResolver(deps.webhooks)],
  ]);
  return buildSchema({
    resolvers: [
      PromotionSmsResolver,
      SentSmsResolver,
      OptOutsResolver,
      CampaignsResolver,
      CatalogResolver,
      HistoryResolver,
      NodeResolver,
      SmsFailedResolver,
      WebhooksResolver,
    ],
    container: { get: (resolverClass) => resolvers.get(resolverClass) },
    validateFn: validateInput,
    // Our one subscription brings its own source (`subscribe`); TypeGraphQL still asks for a PubSub.
    pubSub: {
      publish: () => undefined,
      subscribe: () => {
        throw new Error('subscriptions use their own subscribe function');
      },
    },
    authChecker: scopeAuthChecker,
  });
}

/** The schema the service serves: the API as a Federation 2 subgraph. */
export async function buildFederatedSchema(deps: SchemaDependencies): Promise<GraphQLSchema> {
  return toSubgraphSchema(await buildApiSchema(deps), {
    ...smsSentReferenceResolvers(deps.sentMessages),
    ...promotionCampaignReferenceResolvers(deps.campaigns),
    SmsCommitResult: { __resolveType: resolveSmsCommitResultType },
    Node: { __resolveType: resolveNodeType },
  });
}

const printingOnly = () => Promise.reject(new Error('schema printing only'));
const PRINT_ONLY: SchemaDependencies = {
  publishPromotionSms: printingOnly,
  sentMessages: { message: printingOnly, request: printingOnly, ownsRequest: printingOnly },
  deliveryFeed: { subscribe: () => () => undefined },
  optOuts: createOptOuts({ add: printingOnly, remove: printingOnly, find: printingOnly }),
  campaigns: new Proxy({} as Campaigns, { get: () => printingOnly }),
  catalog: new Proxy({} as Catalog, { get: () => printingOnly }),
  webhooks: new Proxy({} as Webhooks, { get: () => printingOnly }),
};

/**
 * The schema with its types in the order the root types reach them, as before the Node interface:
 * TypeGraphQL lists the types implementing an interface first, and printed so schema.graphql would no
 * longer open with Query. Every type is reachable from a root type, so none is lost (the print test).
 */
function rootsFirst(schema: GraphQLSchema): GraphQLSchema {
  return new GraphQLSchema({ ...schema.toConfig(), types: [] });
}

/** The plain API SDL committed as schema.graphql, for clients and codegen; a test fails when it drifts. */
export async function printApiSchema(): Promise<string> {
  return `${printSchema(rootsFirst(await buildApiSchema(PRINT_ONLY)))}\n`;
}

/** The federated SDL committed as subgraph.graphql, exactly what `_service { sdl }` answers. */
export async function printSubgraphSchema(): Promise<string> {
  return `${await serviceSdl(await buildFederatedSchema(PRINT_ONLY))}\n`;
}
