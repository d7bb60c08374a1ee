import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import type { DestinationStream } from 'pino';
import type { Config } from './config/index.js';
import { createJwtVerifier } from './auth/jwt-verifier.js';
import { createAuthenticator } from './auth/authenticate.js';
import { buildFederatedSchema } from './graphql/schema.js';
import { createApolloServer } from './graphql/server.js';
import { bodyErrors } from './http/body-errors.js';
import { corsForOrigins } from './http/cors.js';
import { healthRoutes } from './http/health.js';
import { closeServer, listen } from './util/listen.js';
import { isLoopbackHost } from './util/loopback.js';
import { metricsRoute, metricsServer } from './http/metrics.js';
import { playgroundRoutes } from './http/playground.js';
import { createMetrics } from './observability/metrics.js';
import { currentRequestId, requestIdFrom, requestIdScope } from './http/request-id.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createOutboundGate, gatedCatalog } from './smn/outbound-gate.js';
import { createCatalogReadLimit } from './policy/catalog-read-limit.js';
import { createRecipientQuota } from './policy/recipient-quota.js';
import { withIdempotency } from './send/idempotent-publish.js';
import { countedSends } from './send/send-metrics.js';
import {
  publishPromotionSms,
  type PromotionSmsCommand,
  type PromotionSmsReport,
  type PublishContext,
} from './send/publish.js';
import { createCampaigns } from './campaigns/campaigns.js';
import { createBatchRunner } from './campaigns/run-batch.js';
import { createCatalog } from './catalog/catalog.js';
import { inSpan, SpanKind } from './observability/tracing.js';
import { requestSpans } from './http/tracing.js';
import { createOptOuts, rekeyStoredOptOuts } from './suppression/opt-outs.js';
import { applyReport, type DeliveryReport } from './deliveries/reports.js';
import { createReplyHandler } from './deliveries/replies.js';
import { startReportPoller } from './smn/events/report-poller.js';
import { startSubscriptionServer } from './graphql/subscriptions.js';
import { requestContexts } from './graphql/request-context.js';
import { websocketUpgrades } from './http/websocket-upgrades.js';
import { smnEventRoutes } from './http/smn-events.js';
import { createCertificateSource, isSmnUrl } from './smn/events/certificates.js';
import { handleSmnEvent, type SmnEventDeps } from './smn/events/handle.js';
import { createSharedState } from './state/shared-state.js';
import { createSmnClient, type SmnClientOptions } from './smn/client.js';
import type { RunningSimulator } from './simulator/server.js';
import { systemClock, type Clock } from './util/clock.js';

export interface App {
  /** Base URL of the HTTP server, e.g. http://127.0.0.1:4000 */
  readonly url: string;
  /** The GraphQL endpoint. */
  readonly graphqlUrl: string;
  /** Prometheus metrics (on METRICS_PORT when set). */
  readonly metricsUrl: string;
  /** Set when no credentials are configured and the embedded simulator serves SMN calls. */
  readonly simulator: RunningSimulator | undefined;
  readonly logger: Logger;
  /** Whether spans are exported (an OTLP endpoint is set). */
  readonly tracing: boolean;
  close(): Promise<void>;
}

export interface AppOptions {
  /** Where log lines go (stdout by default); tests read them back. */
  readonly logDestination?: DestinationStream;
  /** Overrides for the SMN client's retry pacing (tests keep it short). */
  readonly smnRetry?: SmnClientOptions['retry'];
  /** The clock the send window is checked against (tests pin it). */
  readonly clock?: Clock;
  /** Campaign waits and retries (tests keep them short). */
  readonly campaignTiming?: { readonly retryBaseMs?: number; readonly waitSliceMs?: number };
  /** Which signing_cert_urls may be fetched (tests let a local server stand in for SMN's certificate host). */
  readonly certificateUrlAllowed?: (url: string) => boolean;
}

/**
 * Closes a part (the campaign workers, the span exporter), waiting at most `ms`. A campaign batch
 * still running then keeps its idempotency claim: whoever runs it next counts it unknown, never sends
 * it twice.
 */
async function closeWithin(queue: { close(): Promise<void> }, ms: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), ms)));
  const outcome = await Promise.race([queue.close().then(() => 'closed' as const), late]);
  clearTimeout(timer);
  if (outcome === 'late')
    logger.warn({ timeoutMs: ms }, 'a campaign batch was still running at shutdown; left to its claim');
}

/** A campaign batch's idempotency record keeps counts and failures, not 1000 sent messages. */
function compactReport(report: PromotionSmsReport): PromotionSmsReport {
  return { ...report, results: report.results.filter((outcome) => outcome.status === 'failed') };
}

const SIMULATOR_PROJECT_ID = 'simulator-project';

/** Points the SMN client at Huawei Cloud, or starts the embedded simulator when no credentials are set. */
async function connectSmn(config: Config, logger: Logger, options: AppOptions) {
  const common = {
    timeoutMs: config.smnTimeoutMs,
    connectTimeoutMs: config.smnConnectTimeoutMs,
    maxResponseBytes: config.smnMaxResponseBytes,
    propagateTrace: config.smnPropagateTrace,
    logger,
    ...(options.smnRetry && { retry: options.smnRetry }),
  };
  if (config.smn.mode === 'remote') {
    const { endpoint, projectId, credentials } = config.smn;
    logger.info({ smnEndpoint: endpoint.origin, projectId }, 'SMN: Huawei Cloud');
    return { client: createSmnClient({ ...common, endpoint, projectId, credentials }), simulator: undefined };
  }
  const credentials = { ak: 'SIMULATOR', sk: randomBytes(24).toString('base64url') };
  // Loaded only here: a service talking to Huawei Cloud never holds the simulator (or its X.509 code).
  const { startSimulator } = await import('./simulator/server.js');
  const simulator = await startSimulator({
    projectId: SIMULATOR_PROJECT_ID,
    credentials,
    reportDelayMs: config.simulatorReportDelayMs,
  });
  logger.warn(
    { simulator: simulator.url },
    'NO SMN CREDENTIALS CONFIGURED: using the embedded local SMN simulator. No real SMS will be sent. ' +
      'Set HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, SMN_PROJECT_ID and SMN_REGION (or SMN_ENDPOINT) to use Huawei Cloud.',
  );
  const client = createSmnClient({
    ...common,
    endpoint: new URL(simulator.url),
    projectId: SIMULATOR_PROJECT_ID,
    credentials,
  });
  return { client, simulator };
}

/** The composition root: the only place that wires the parts together. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = createLogger({
    level: config.logLevel,
    pretty: config.operations.prettyLogs,
    ...(options.logDestination && { destination: options.logDestination }),
  });
  if (config.auth.mode === 'disabled' && config.auth.explicit) {
    logger.warn('AUTH_DISABLED=true: anyone who can reach this service can send SMS at your expense.');
  }
  // First, so every span below goes to it. With tracing off the SDK is neither loaded nor registered.
  const tracing = config.tracing
    ? (await import('./observability/tracing-sdk.js')).startTracing(config.tracing)
    : undefined;
  logger.info(
    config.tracing
      ? { tracing: `${config.tracing.protocol} to ${config.tracing.url.origin}`, sampler: config.tracing.sampler.name }
      : { tracing: 'off (no OTEL_EXPORTER_OTLP_ENDPOINT)' },
    'tracing',
  );
  const { client, simulator } = await connectSmn(config, logger, options);
  const smn = createOutboundGate(client, {
    callsPerSecond: config.limits.smnCallsPerSecond,
    concurrentCalls: config.limits.smnConcurrentCalls,
    queuedCalls: config.limits.smnQueuedCalls,
    queueTimeoutMs: config.limits.smnQueueTimeoutMs,
  });
  const state = await createSharedState(config, logger);
  await rekeyStoredOptOuts(state.optOuts, logger).catch(async (error: unknown) => {
    await state.close();
    throw error;
  });
  const { sendLog } = state;
  const quota = createRecipientQuota(
    { perMinute: config.limits.recipientsPerMinute, perDay: config.limits.recipientsPerDay },
    state.makeLimiter,
  );
  const metrics = createMetrics();
  const suppression = {
    optOuts: state.optOuts,
    daily: {
      store: state.dailyCounters,
      limit: config.limits.perNumberDailyLimit,
      zone: config.limits.perNumberDayZone,
    },
  };
  const optOuts = createOptOuts(state.optOuts, {
    ...(options.clock && { clock: options.clock }),
    onChange: (action, source, count) => metrics.optOutChanges(action, source, count),
  });
  const publish = (command: PromotionSmsCommand, context: PublishContext & { logger: Logger }) =>
    publishPromotionSms(
      {
        smn,
        sendLog,
        quota,
        sendWindow: config.sendWindow,
        stateAvailable: state.available,
        suppression,
        // Only replies need them, and replies only arrive with SMN_EVENTS on (callback or poll).
        recentRecipients: config.events.mode === 'off' ? undefined : state.recentRecipients,
        logger: context.logger,
        ...(options.clock && { clock: options.clock }),
      },
      command,
      context,
    );
  const idempotency = {
    store: state.idempotency,
    ttlMs: config.state.idempotencyTtlMs,
    longestSendMs: smn.maxCallMs,
    waitMs: config.state.idempotencyWaitMs,
  };
  const publishOnce = withIdempotency(countedSends(publish, 'direct', metrics), idempotency);
  const clock = options.clock ?? systemClock;
  const batchQueue = state.batchQueue({
    concurrency: config.campaigns.workerConcurrency,
    lockMs: config.campaigns.lockMs,
  });
  const catalog = createCatalog({
    smn: gatedCatalog(smn, client),
    cacheMs: config.catalogCacheMs,
    logger,
    beforeSmnCall: createCatalogReadLimit(config.limits.catalogReadsPerMinute, state.makeLimiter),
  });
  const campaigns = createCampaigns({
    store: state.campaigns,
    queue: batchQueue,
    updates: state.campaignUpdates,
    maxRecipients: config.campaigns.maxRecipients,
    maxOpenPerTenant: config.campaigns.maxOpenPerTenant,
    defaultMessagesPerSecond: config.campaigns.messagesPerSecond,
    clock,
    logger,
    cancelled: () => metrics.campaignFinished('CANCELLED'),
    catalog,
  });
  metrics.observeCampaigns({
    statusCounts: () => state.campaigns.statusCounts(),
    queueDepth: () => batchQueue.depth(),
  });
  if (config.campaigns.workers) {
    batchQueue.work(
      createBatchRunner({
        store: state.campaigns,
        // A rejected batch is tried again after a resume; its record keeps counts, not every message.
        publish: withIdempotency(countedSends(publish, 'campaign', metrics), {
          ...idempotency,
          keepRejections: false,
          storedReport: compactReport,
        }),
        updates: state.campaignUpdates,
        sendWindow: config.sendWindow,
        maxAttempts: config.campaigns.batchAttempts,
        retryBaseMs: options.campaignTiming?.retryBaseMs ?? 1_000,
        waitSliceMs: options.campaignTiming?.waitSliceMs ?? 600_000,
        clock,
        logger,
        observe: metrics.campaignBatch,
        completed: () => metrics.campaignFinished('COMPLETED'),
      }),
    );
  }
  const schema = await buildFederatedSchema({
    publishPromotionSms: publishOnce,
    sendLog,
    deliveryFeed: state.deliveryFeed,
    optOuts,
    campaigns,
    catalog,
  });
  // One context builder for both transports (HTTP below, the WebSocket in subscriptions.ts).
  const createContext = requestContexts({
    deliveries: { sendLog, feed: state.deliveryFeed },
    campaigns: { campaigns, updates: state.campaignUpdates },
  });
  const applyOne = (report: DeliveryReport) =>
    applyReport(
      {
        sendLog,
        feed: state.deliveryFeed,
        campaigns: state.campaigns,
        logger,
        ...(options.clock && { clock: options.clock }),
      },
      report,
    );
  const replies = createReplyHandler({
    recent: state.recentRecipients,
    optOuts,
    keywords: config.events.optOutKeywords,
    logger: logger.child({ component: 'smn-events' }),
    ...(options.clock && { clock: options.clock }),
  });
  const authenticate =
    config.auth.mode === 'jwt'
      ? createAuthenticator(createJwtVerifier(config.auth), { tokenOptional: config.auth.introspection === 'public' })
      : createAuthenticator(undefined);

  let shuttingDown = false;
  const ready = () => !shuttingDown && state.available();

  const app = express();
  app.disable('x-powered-by');
  const httpServer = createServer(
    {
      // A client trickling its request in is cut off (408) instead of holding a socket for Node's 300 s.
      requestTimeout: config.httpRequestTimeoutMs,
      headersTimeout: config.httpHeadersTimeoutMs,
      connectionsCheckingInterval: 1_000,
    },
    app,
  );
  const apollo = createApolloServer({
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

  app.use(healthRoutes({ ready }));
  if (config.graphql.playground) app.use(playgroundRoutes({ authRequired: config.auth.mode === 'jwt' }));
  const separateMetrics = config.operations.metricsPort === undefined ? undefined : metricsServer(metrics.registry);
  if (!separateMetrics) app.use(metricsRoute(metrics.registry));
  app.use(
    '/graphql',
    corsForOrigins(config.graphql.corsOrigins),
    express.json({ limit: config.graphql.maxBodyBytes }),
    requestIdScope(),
    requestSpans('/graphql', 'graphql.operation'),
    expressMiddleware(apollo, {
      context: async ({ req }) => {
        const requestId = currentRequestId() ?? requestIdFrom(req.headers);
        const caller = await inSpan('authenticate', {}, () => authenticate(req.headers, logger.child({ requestId })));
        return createContext(requestId, caller, logger);
      },
    }),
  );
  if (config.events.mode === 'callback') {
    const certificates = createCertificateSource({
      // The embedded simulator's own certificate is trusted only when it is the SMN in use.
      pinned: config.events.certificate ?? simulator?.certificatePem,
      hosts: config.events.certificateHosts,
      ...(options.certificateUrlAllowed && { allowed: options.certificateUrlAllowed }),
      ...(options.clock && { clock: options.clock }),
    });
    const eventDeps: SmnEventDeps = {
      certificates,
      followable: (url) =>
        isSmnUrl(url, config.events.certificateHosts) ||
        (simulator !== undefined && url.startsWith(`${simulator.url}/`)),
      autoConfirm: config.events.autoConfirm,
      seen: state.seenEnvelopes,
      sendLog,
      feed: state.deliveryFeed,
      campaigns: state.campaigns,
      replies,
      logger: logger.child({ component: 'smn-events' }),
      ...(options.clock && { clock: options.clock }),
    };
    const handleEvent = (body: unknown) =>
      inSpan('smn_events.handle', { kind: SpanKind.SERVER }, async (span) => {
        const outcome = await handleSmnEvent(eventDeps, body);
        span.setAttribute('smn_gateway.outcome', outcome);
        return outcome;
      });
    app.use(smnEventRoutes(handleEvent, metrics.smnEvent, logger));
  }
  app.use(bodyErrors(logger));
  const subscriptions = startSubscriptionServer({
    schema,
    authenticate,
    logger,
    metrics,
    graphql: config.graphql,
    production: config.production,
    createContext,
  });
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
  metrics.observeWebSockets(upgrades.open);
  httpServer.on('upgrade', upgrades.listener);

  const url = await listen(httpServer, config.port, config.host);
  if (config.auth.mode === 'disabled' && !isLoopbackHost(config.host)) {
    logger.warn(
      { host: config.host },
      `no authentication and HOST=${config.host}: anyone who can reach this interface can send SMS at your expense ` +
        '(configure AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE, or leave HOST unset to listen on 127.0.0.1 only)',
    );
  }
  const metricsUrl = separateMetrics
    ? await listen(separateMetrics, config.operations.metricsPort ?? 0, config.host)
    : url;
  if (simulator && config.events.mode === 'callback') await simulator.events.subscribe(`${url}/smn/events`);
  const poller =
    config.events.mode === 'poll'
      ? startReportPoller({
          reports: (query) => client.reports(query),
          apply: applyOne,
          count: metrics.smnEvent,
          coordination: state.pollCoordination(config.events.pollSeconds * 1000),
          intervalMs: config.events.pollSeconds * 1000,
          logger: logger.child({ component: 'smn-report-poller' }),
        })
      : undefined;
  logger.info(
    {
      url: `${url}/graphql`,
      host: config.host,
      events:
        config.events.mode === 'callback'
          ? `${url}/smn/events (SMN posts delivery reports and replies here)`
          : config.events.mode === 'poll'
            ? `polling the SMN report API every ${config.events.pollSeconds} s`
            : 'off: no delivery reports (SMN_EVENTS=callback or poll)',
      metrics: `${metricsUrl}/metrics`,
      smn: config.smn.mode,
      auth: config.auth.mode,
      state: state.mode,
      campaigns: config.campaigns.workers
        ? `${batchQueue.kind} queue, ${config.campaigns.workerConcurrency} workers`
        : `${batchQueue.kind} queue, no workers here (CAMPAIGN_WORKERS=false)`,
    },
    'smn-gateway listening',
  );

  return {
    url,
    graphqlUrl: `${url}/graphql`,
    metricsUrl: `${metricsUrl}/metrics`,
    simulator,
    logger,
    tracing: tracing !== undefined,
    /**
     * Graceful stop: readiness turns false, no new requests are taken, in-flight ones finish (cut
     * after SHUTDOWN_TIMEOUT_MS), then SMN sockets, shared state and the simulator are closed.
     */
    async close() {
      shuttingDown = true;
      await poller?.stop();
      upgrades.stop();
      await subscriptions.close();
      // Workers stop taking batches at once; the ones in flight finish while HTTP drains. The rest wait
      // in the queue for another replica or the restart.
      await Promise.all([apollo.stop(), closeWithin(batchQueue, config.operations.shutdownTimeoutMs, logger)]);
      if (separateMetrics) await closeServer(separateMetrics);
      client.close();
      await state.close();
      await simulator?.close();
      // Pending spans go out, within the shutdown timeout.
      if (tracing) await closeWithin({ close: () => tracing.shutdown() }, config.operations.shutdownTimeoutMs, logger);
    },
  };
}
