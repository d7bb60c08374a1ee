import type { DestinationStream } from 'pino';
import type { Config } from './config/index.js';
import { createLogger, type Logger } from './observability/logger.js';
import { createMetrics } from './observability/metrics.js';
import type { SmnClientOptions } from './smn/client.js';
import type { RunningSimulator } from './simulator/server.js';
import type { Clock } from './util/clock.js';
import { isLoopbackHost } from './util/loopback.js';
import { startCampaignWorkers, startReportPolling, stopWithin } from './wiring/background.js';
import { wireDeliveries } from './wiring/deliveries.js';
import { separateMetricsServer, startHttp } from './wiring/http.js';
import { createLifecycle, type Lifecycle } from './wiring/lifecycle.js';
import { wireSendPath } from './wiring/send-path.js';
import { wireSmn } from './wiring/smn.js';
import type { WebhookTiming } from './wiring/webhooks.js';

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
  /** Reads the trusted-document manifests again (SIGHUP); false when one could not be used (the old set stays). */
  reloadTrustedDocuments(): Promise<boolean>;
  /**
   * Graceful stop, once however often it is called: readiness turns false, no new requests are taken,
   * in-flight ones and campaign batches finish (cut after SHUTDOWN_TIMEOUT_MS), then shared state, SMN
   * sockets and the simulator are closed, pending spans last.
   */
  close(): Promise<void>;
}

export interface AppOptions {
  /** Where log lines go (stdout by default); tests read them back. */
  readonly logDestination?: DestinationStream;
  /** Overrides for the SMN client's retry pacing (tests keep it short). */
  readonly smnRetry?: SmnClientOptions['retry'];
  /** The clock the send window, campaigns and reports read (tests pin it). */
  readonly clock?: Clock;
  /** Campaign waits and retries (tests keep them short). */
  readonly campaignTiming?: { readonly retryBaseMs?: number; readonly waitSliceMs?: number };
  /** Which signing_cert_urls may be fetched (tests let a local server stand in for SMN's certificate host). */
  readonly certificateUrlAllowed?: (url: string) => boolean;
  /** Webhook backoff, retry window and sender timeout (tests keep them short). */
  readonly webhookTiming?: WebhookTiming;
}

/** Starts the span exporter first, so every span after it goes there; with tracing off the SDK is never loaded. */
async function startTracing(config: Config, logger: Logger, lifecycle: Lifecycle): Promise<boolean> {
  logger.info(
    config.tracing
      ? { tracing: `${config.tracing.protocol} to ${config.tracing.url.origin}`, sampler: config.tracing.sampler.name }
      : { tracing: 'off (no OTEL_EXPORTER_OTLP_ENDPOINT)' },
    'tracing',
  );
  if (!config.tracing) return false;
  const tracing = (await import('./observability/tracing-sdk.js')).startTracing(config.tracing);
  // Pending spans go out last, within the shutdown timeout.
  lifecycle.toDisposeLast(() =>
    stopWithin(
      () => tracing.shutdown(),
      config.operations.shutdownTimeoutMs,
      () => logger.warn({ timeoutMs: config.operations.shutdownTimeoutMs }, 'spans still pending at shutdown; dropped'),
    ),
  );
  return true;
}

/**
 * The composition root: the only place that wires the parts together (src/wiring/ holds its parts, one
 * per concern). Each part registers how it stops as it starts, so `close()` stops them in reverse:
 * readiness turns false, the report poller, the WebSocket gate and server, then HTTP requests and
 * campaign batches in flight finish together (cut after SHUTDOWN_TIMEOUT_MS), then the separate metrics
 * server, the shared state, SMN sockets and the simulator; pending spans last. A start that fails stops
 * what had started.
 */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const logger = createLogger({
    level: config.logLevel,
    pretty: config.operations.prettyLogs,
    ...(options.logDestination && { destination: options.logDestination }),
  });
  if (config.auth.mode === 'disabled' && config.auth.explicit) {
    logger.warn('AUTH_DISABLED=true: anyone who can reach this service can send SMS at your expense.');
  }
  const lifecycle = createLifecycle();
  try {
    const tracing = await startTracing(config, logger, lifecycle);
    const { clock } = options;
    const metrics = createMetrics();
    const smn = await wireSmn(config, logger, lifecycle, options.smnRetry);
    const sendPath = await wireSendPath(
      config,
      { logger, metrics, smn, clock, webhookTiming: options.webhookTiming },
      lifecycle,
    );
    smn.shareCallRate(sendPath.state);
    const deliveries = wireDeliveries(config, {
      logger,
      smn,
      sendPath,
      clock,
      certificateUrlAllowed: options.certificateUrlAllowed,
    });
    const separateMetrics = separateMetricsServer(config, metrics, lifecycle);
    // HTTP requests and campaign batches in flight finish together, within one shutdown timeout.
    const draining = lifecycle.together();
    startCampaignWorkers(config, { logger, metrics, sendPath, clock, timing: options.campaignTiming }, draining);
    const http = await startHttp(
      config,
      { logger, metrics, sendPath, deliveries, separateMetrics },
      lifecycle,
      draining,
    );
    if (config.auth.mode === 'disabled' && !isLoopbackHost(config.host)) {
      logger.warn(
        { host: config.host },
        `no authentication and HOST=${config.host}: anyone who can reach this interface can send SMS at your expense ` +
          '(configure AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE, or leave HOST unset to listen on 127.0.0.1 only)',
      );
    }
    const { url, metricsUrl } = http;
    if (smn.simulator && config.events.mode === 'callback') await smn.simulator.events.subscribe(`${url}/smn/events`);
    startReportPolling(config, { logger, metrics, smn, sendPath, deliveries }, lifecycle);
    logListening(config, logger, { url, metricsUrl, sendPath });
    return {
      url,
      graphqlUrl: `${url}/graphql`,
      metricsUrl: `${metricsUrl}/metrics`,
      simulator: smn.simulator,
      logger,
      tracing,
      reloadTrustedDocuments: http.reloadTrustedDocuments,
      close: () => lifecycle.stop(),
    };
  } catch (error) {
    await lifecycle.stop().catch((stopError: unknown) => logger.warn({ err: stopError }, 'stopping a failed start'));
    throw error;
  }
}

function logListening(
  config: Config,
  logger: Logger,
  started: { url: string; metricsUrl: string; sendPath: Awaited<ReturnType<typeof wireSendPath>> },
): void {
  const { url, metricsUrl } = started;
  const { state, batchQueue } = started.sendPath;
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
}
