import { createServer, type Server } from 'node:http';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { Config } from '../config/index.js';
import { createAuthenticator } from '../auth/authenticate.js';
import { createSentMessages } from '../send/sent-messages.js';
import { createJwtVerifier } from '../auth/jwt-verifier.js';
import { httpRequestContext, requestContexts } from '../graphql/request-context.js';
import { buildFederatedSchema } from '../graphql/schema.js';
import { createApolloServer } from '../graphql/server.js';
import { startSubscriptionServer } from '../graphql/subscriptions.js';
import { bodyErrors } from '../http/body-errors.js';
import { corsForOrigins } from '../http/cors.js';
import { healthRoutes } from '../http/health.js';
import { metricsRoute, metricsServer } from '../http/metrics.js';
import { playgroundRoutes } from '../http/playground.js';
import { requestIdScope } from '../http/request-id.js';
import { smnEventRoutes } from '../http/smn-events.js';
import { requestSpans } from '../http/tracing.js';
import { websocketUpgrades } from '../http/websocket-upgrades.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { closeServer, listen } from '../util/listen.js';
import type { DeliveriesPart } from './deliveries.js';
import type { Lifecycle, Stop } from './lifecycle.js';
import type { SendPathPart } from './send-path.js';
import { wireTrustedDocuments } from './trusted-documents.js';

/**
 * Part of the composition root (app.ts): the metrics server of its own when METRICS_PORT is set
 * (undefined otherwise: /metrics is served beside the API). Registered before the drain, so it closes
 * after it: scrapes still answer while requests and batches finish.
 */
export function separateMetricsServer(config: Config, metrics: Metrics, lifecycle: Lifecycle): Server | undefined {
  if (config.operations.metricsPort === undefined) return undefined;
  const server = metricsServer(metrics.registry);
  lifecycle.toDispose(() => closeServer(server));
  return server;
}

export interface HttpPart {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:4000 */
  readonly url: string;
  /** Where /metrics is served: the API's own server, or the separate one. */
  readonly metricsUrl: string;
  /** Reads the trusted-document manifests again (SIGHUP). */
  reloadTrustedDocuments(): Promise<boolean>;
}

/**
 * Part of the composition root (app.ts): Express (CORS, body limits, health, metrics, the playground,
 * `/smn/events`), Apollo on `/graphql` with the federated schema, and graphql-ws on the same path
 * behind the upgrade gate; both transports build their context with `requestContexts`. Listens once
 * everything is mounted. Stops: the upgrade gate, then the WebSocket server, then Apollo (in `draining`:
 * in-flight requests finish, cut after SHUTDOWN_TIMEOUT_MS).
 */
export async function startHttp(
  config: Config,
  parts: {
    readonly logger: Logger;
    readonly metrics: Metrics;
    readonly sendPath: SendPathPart;
    readonly deliveries: DeliveriesPart;
    readonly separateMetrics: Server | undefined;
  },
  lifecycle: Lifecycle,
  draining: { add(stop: Stop): void },
): Promise<HttpPart> {
  const { logger, metrics, sendPath, separateMetrics } = parts;
  const { state, campaigns } = sendPath;
  const sentMessages = createSentMessages(state.sendLog, sendPath.archive);
  const schema = await buildFederatedSchema({
    publishPromotionSms: sendPath.publishOnce,
    sentMessages,
    deliveryFeed: state.deliveryFeed,
    optOuts: sendPath.optOuts,
    campaigns,
    catalog: sendPath.catalog,
    history: sendPath.history,
    webhooks: sendPath.webhooks.webhooks,
  });
  // One context builder for both transports (HTTP below, the WebSocket in subscriptions.ts).
  const createContext = requestContexts({
    deliveries: { sentMessages, feed: state.deliveryFeed },
    campaigns: { campaigns, updates: state.campaignUpdates, settleMs: config.campaigns.updatesSettleMs },
  });
  const authenticate =
    config.auth.mode === 'jwt'
      ? createAuthenticator(createJwtVerifier(config.auth), { tokenOptional: config.auth.introspection === 'public' })
      : createAuthenticator(undefined);

  const app = express();
  app.disable('x-powered-by');
  // Express hashes every body it sends for an ETag, a send's ~100 KB answer included; nothing here
  // answers 304 (GraphQL answers are not cached), so the hash is pure cost (bench/RESULTS.md, round three).
  app.set('etag', false);
  const httpServer = createServer(
    {
      // A client trickling its request in is cut off (408) instead of holding a socket for Node's 300 s.
      requestTimeout: config.httpRequestTimeoutMs,
      headersTimeout: config.httpHeadersTimeoutMs,
      connectionsCheckingInterval: 1_000,
    },
    app,
  );
  const trusted = await wireTrustedDocuments(config, { schema, logger, metrics }, lifecycle);
  const apollo = createApolloServer({
    trusted,
    schema,
    httpServer,
    logger,
    metrics,
    production: config.production,
    graphql: config.graphql,
    auth: config.auth,
    shutdownTimeoutMs: config.operations.shutdownTimeoutMs,
  });
  await apollo.start();
  draining.add(() => apollo.stop());

  app.use(healthRoutes({ serving: () => !lifecycle.stopping, state: state.readiness }));
  const { trustedDocuments } = config.graphql;
  if (config.graphql.playground) {
    app.use(
      playgroundRoutes({
        authRequired: config.auth.mode === 'jwt',
        adhocScopeRequired: trustedDocuments.mode === 'require' ? trustedDocuments.adhocScope : undefined,
      }),
    );
  }
  if (!separateMetrics) app.use(metricsRoute(metrics.registry));
  app.use(
    '/graphql',
    corsForOrigins(config.graphql.corsOrigins),
    express.json({ limit: config.graphql.maxBodyBytes }),
    requestIdScope(),
    requestSpans('/graphql', 'graphql.operation'),
    expressMiddleware(apollo, { context: httpRequestContext(createContext, authenticate, logger) }),
  );
  if (parts.deliveries.handleEvent) app.use(smnEventRoutes(parts.deliveries.handleEvent, metrics.smnEvent, logger));
  app.use(bodyErrors(logger));
  const subscriptions = startSubscriptionServer({
    schema,
    authenticate,
    logger,
    metrics,
    graphql: config.graphql,
    production: config.production,
    createContext,
    admit: trusted.admit,
  });
  lifecycle.toDispose(() => subscriptions.close());
  // Origin and connection caps are checked on the upgrade, before a WebSocket exists.
  const upgrades = websocketUpgrades(
    {
      path: '/graphql',
      origins: config.graphql.corsOrigins,
      ownOrigin: config.graphql.playground,
      maxConnections: config.graphql.ws.maxConnections,
      maxConnectionsPerIp: config.graphql.ws.maxConnectionsPerIp,
      refused: metrics.websocketRefused,
      logger: logger.child({ transport: 'websocket' }),
    },
    subscriptions.handleUpgrade,
  );
  lifecycle.toDispose(() => upgrades.stop());
  metrics.observeWebSockets(upgrades.open);
  httpServer.on('upgrade', upgrades.listener);

  const url = await listen(httpServer, config.port, config.host);
  const metricsUrl = separateMetrics
    ? await listen(separateMetrics, config.operations.metricsPort ?? 0, config.host)
    : url;
  return { url, metricsUrl, reloadTrustedDocuments: trusted.reload };
}
