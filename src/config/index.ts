import { ConfigError, Reader, type Env } from './reader.js';
import {
  LOG_LEVELS,
  PROJECT_ID,
  readAuth,
  readCampaigns,
  readWebhooks,
  readEvents,
  readGraphql,
  readLimits,
  readSendWindow,
  readSmnTarget,
  readTracing,
  readState,
} from './sections.js';
import { readHistory } from './history.js';
import type { Config, SimulatorConfig, StateConfig } from './types.js';

export { ConfigError };
export { regionEndpoint } from './sections.js';
export type * from './types.js';

/** Reads the environment once. Throws ConfigError listing every problem. */
export function loadConfig(env: Env = process.env, stdoutIsTerminal = false): Config {
  const read = new Reader(env);
  const smnTimeoutMs = read.integer('SMN_TIMEOUT_MS', 10_000, 100, 120_000);
  const smnConnectTimeoutMs = read.integer('SMN_CONNECT_TIMEOUT_MS', 3_000, 50, 60_000);
  if (smnConnectTimeoutMs > smnTimeoutMs) read.problems.push('SMN_CONNECT_TIMEOUT_MS must not exceed SMN_TIMEOUT_MS');
  const httpRequestTimeoutMs = read.integer('HTTP_REQUEST_TIMEOUT_MS', 30_000, 1_000, 600_000);
  const httpHeadersTimeoutMs = read.integer('HTTP_HEADERS_TIMEOUT_MS', 10_000, 1_000, 120_000);
  if (httpHeadersTimeoutMs > httpRequestTimeoutMs) {
    read.problems.push('HTTP_HEADERS_TIMEOUT_MS must not exceed HTTP_REQUEST_TIMEOUT_MS');
  }
  const production = read.text('NODE_ENV') === 'production';
  const smn = readSmnTarget(read, production);
  const auth = readAuth(read, smn);
  const config: Config = {
    port: read.integer('PORT', 4000, 0, 65_535),
    // Nothing guards an unauthenticated API but the interface it listens on: loopback unless HOST says.
    host: read.text('HOST') ?? (auth.mode === 'disabled' ? '127.0.0.1' : '0.0.0.0'),
    production,
    logLevel: read.oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    smn,
    httpRequestTimeoutMs,
    httpHeadersTimeoutMs,
    smnTimeoutMs,
    smnConnectTimeoutMs,
    smnMaxResponseBytes: read.integer('SMN_MAX_RESPONSE_BYTES', 1_048_576, 65_536, 67_108_864),
    sendLog: {
      maxEntries: read.integer('SEND_LOG_MAX_ENTRIES', 50_000, 1, 10_000_000),
      ttlSeconds: read.integer('SEND_LOG_TTL_SECONDS', 259_200, 1, 30 * 86_400),
    },
    auth,
    limits: readLimits(read),
    graphql: readGraphql(read, production),
    sendWindow: readSendWindow(read, smn),
    state: readState(read),
    history: readHistory(read, production),
    events: readEvents(read, smn),
    campaigns: readCampaigns(read),
    webhooks: readWebhooks(read, production),
    tracing: readTracing(read),
    smnPropagateTrace: read.boolean('SMN_PROPAGATE_TRACE', false),
    catalogCacheMs: read.integer('SMN_CATALOG_CACHE_SECONDS', 60, 0, 86_400) * 1000,
    simulatorReportDelayMs: read.integer('SIMULATOR_REPORT_DELAY_MS', 1_000, 0, 600_000),
    operations: {
      metricsPort: read.text('METRICS_PORT') === undefined ? undefined : read.integer('METRICS_PORT', 9464, 0, 65_535),
      shutdownTimeoutMs: read.integer('SHUTDOWN_TIMEOUT_MS', 25_000, 0, 600_000),
      prettyLogs: read.text('NODE_ENV') !== 'production' && stdoutIsTerminal && read.boolean('LOG_PRETTY', true),
    },
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return Object.freeze(config);
}

/** The standalone simulator (`npm run simulator`): SIMULATOR_* variables. */
export function loadSimulatorConfig(env: Env = process.env): SimulatorConfig {
  const read = new Reader(env);
  const config: SimulatorConfig = {
    port: read.integer('SIMULATOR_PORT', 4010, 0, 65_535),
    host: read.text('SIMULATOR_HOST') ?? '127.0.0.1',
    projectId:
      read.matching('SIMULATOR_PROJECT_ID', PROJECT_ID, 'a project id of letters, digits, "-" or "_"') ??
      'simulator-project',
    credentials: {
      ak: read.text('SIMULATOR_AK') ?? 'SIMULATORACCESSKEY',
      sk: read.required('SIMULATOR_SK', read.text('SIMULATOR_SK'), 'to start the standalone simulator') ?? '',
    },
    reportDelayMs: read.integer('SIMULATOR_REPORT_DELAY_MS', 1_000, 0, 600_000),
    eventsEndpoint: read.url('SIMULATOR_EVENTS_ENDPOINT')?.href,
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return Object.freeze(config);
}

/** Only the shared-state settings (for `cli.ts`): an operator command needs no SMN credentials. */
export function loadStateConfig(env: Env = process.env): StateConfig {
  const read = new Reader(env);
  const state = readState(read);
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return state;
}
