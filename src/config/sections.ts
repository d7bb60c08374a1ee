/** How each part of the configuration is read from the environment; loadConfig (config.ts) calls them. */
import { readRedis } from './redis.js';
import { readTrustedDocuments } from './trusted-documents.js';
import { IANAZone } from 'luxon';
import { type Reader } from './reader.js';
import { readFileSync } from 'node:fs';
import { DEFAULT_CERT_HOSTS, keyFromPem } from '../smn/events/certificates.js';
import type {
  AuthConfig,
  CampaignsConfig,
  WebhooksConfig,
  EventsConfig,
  GraphqlConfig,
  LimitsConfig,
  SmnTarget,
  StateConfig,
} from './types.js';
import { parseSendWindow, type SendWindow } from '../policy/send-window.js';
import type { TracingConfig } from '../observability/tracing-sdk.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
export const PROJECT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/;
/** Regions whose SMN host is not under myhuaweicloud.com. */
const REGION_DOMAINS: Record<string, string> = {
  'cn-north-2': 'myhuaweicloud.cn',
  'eu-west-101': 'myhuaweicloud.eu',
};

export function regionEndpoint(region: string): string {
  return `https://smn.${region}.${REGION_DOMAINS[region] ?? 'myhuaweicloud.com'}`;
}

const SMN_VARIABLES = ['SMN_ENDPOINT', 'SMN_REGION', 'SMN_PROJECT_ID', 'HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK'];

/**
 * Huawei Cloud or the local simulator. SMN_MODE `auto` (the default): Huawei Cloud when any SMN
 * setting is present, else the simulator, except in production, where a missing secret must stop the
 * start instead of answering SmsSent for messages never sent: there the simulator needs
 * SMN_MODE=simulator. `smn` always demands the settings. Problems name variables, never values.
 */
export function readSmnTarget(read: Reader, production: boolean): SmnTarget {
  const mode = read.oneOf('SMN_MODE', 'auto', ['auto', 'simulator', 'smn']);
  const configured = SMN_VARIABLES.filter((name) => read.text(name) !== undefined);
  if (mode === 'simulator' && configured.length > 0) {
    read.problems.push(
      `SMN_MODE=simulator conflicts with ${configured.join(', ')} (unset them to use the local simulator, or unset SMN_MODE)`,
    );
  }
  // An unknown SMN_MODE is already a problem: the start fails either way.
  if (mode !== 'auto' && mode !== 'smn') return { mode: 'simulator' };
  if (mode === 'auto' && configured.length === 0 && !production) return { mode: 'simulator' };
  const why =
    configured.length > 0
      ? `when any of ${SMN_VARIABLES.join(', ')} is set ` +
        (production
          ? '(in production the local simulator needs SMN_MODE=simulator and none of them)'
          : '(unset them all to use the local simulator)')
      : mode === 'smn'
        ? 'with SMN_MODE=smn'
        : 'in production (NODE_ENV=production); the local simulator, which sends nothing, runs there only with SMN_MODE=simulator';
  const endpointUrl = read.url('SMN_ENDPOINT');
  const region = read.matching('SMN_REGION', REGION, 'a Huawei Cloud region id such as cn-north-4');
  if (read.text('SMN_ENDPOINT') !== undefined && read.text('SMN_REGION') !== undefined) {
    read.problems.push('set SMN_ENDPOINT or SMN_REGION, not both');
  } else if (read.text('SMN_ENDPOINT') === undefined && read.text('SMN_REGION') === undefined) {
    read.problems.push(`SMN_ENDPOINT or SMN_REGION is required ${why}`);
  }
  const projectId = read.required(
    'SMN_PROJECT_ID',
    read.matching('SMN_PROJECT_ID', PROJECT_ID, 'a project id of letters, digits, "-" or "_"'),
    why,
  );
  const ak = read.required('HUAWEICLOUD_SDK_AK', read.text('HUAWEICLOUD_SDK_AK'), why);
  const sk = read.required('HUAWEICLOUD_SDK_SK', read.text('HUAWEICLOUD_SDK_SK'), why);
  const endpoint = endpointUrl ?? (region ? new URL(regionEndpoint(region)) : undefined);
  if (!endpoint || !projectId || !ak || !sk) return { mode: 'simulator' };
  const securityToken = read.text('HUAWEICLOUD_SDK_SECURITY_TOKEN');
  return { mode: 'remote', endpoint, projectId, credentials: { ak, sk, securityToken } };
}

const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
];
const AUTH_VARIABLES = ['AUTH_JWKS_URL', 'AUTH_ISSUER', 'AUTH_AUDIENCE'];
const CLAIM = /^[A-Za-z_][A-Za-z0-9_.:-]{0,63}$/;

export function readAuth(read: Reader, smn: SmnTarget): AuthConfig {
  const disabled = read.boolean('AUTH_DISABLED', false);
  const configured = AUTH_VARIABLES.filter((name) => read.text(name) !== undefined);
  if (disabled) {
    if (configured.length > 0) read.problems.push(`AUTH_DISABLED=true conflicts with ${configured.join(', ')}`);
    return { mode: 'disabled', explicit: true };
  }
  if (configured.length === 0) {
    if (smn.mode === 'remote') {
      read.problems.push(
        'authentication is required with real SMN credentials: set AUTH_JWKS_URL, AUTH_ISSUER and AUTH_AUDIENCE ' +
          '(or AUTH_DISABLED=true to run unprotected, which is warned about at every start)',
      );
    }
    return { mode: 'disabled', explicit: false };
  }
  const why = `when any of ${AUTH_VARIABLES.join(', ')} is set`;
  const jwksUrl = read.required('AUTH_JWKS_URL', read.url('AUTH_JWKS_URL'), why);
  const issuer = read.required('AUTH_ISSUER', read.text('AUTH_ISSUER'), why);
  const audience = read.list('AUTH_AUDIENCE');
  if (audience.length === 0) read.required('AUTH_AUDIENCE', undefined, why);
  const algorithms = read.list('AUTH_ALGORITHMS');
  const unsafe = algorithms.filter((algorithm) => !ASYMMETRIC_ALGORITHMS.includes(algorithm));
  if (unsafe.length > 0) {
    read.problems.push(`AUTH_ALGORITHMS may list only ${ASYMMETRIC_ALGORITHMS.join(', ')} (got ${unsafe.join(', ')})`);
  }
  const config: AuthConfig = {
    mode: 'jwt',
    jwksUrl: jwksUrl ?? new URL('http://invalid'),
    issuer: issuer ?? '',
    audience,
    algorithms: algorithms.length > 0 ? algorithms : ['RS256', 'ES256'],
    clockToleranceSeconds: read.integer('AUTH_CLOCK_TOLERANCE_SECONDS', 5, 0, 300),
    jwksCooldownMs: read.integer('AUTH_JWKS_COOLDOWN_SECONDS', 30, 0, 3600) * 1000,
    scopeClaim: read.matching('AUTH_SCOPE_CLAIM', CLAIM, 'a claim name'),
    tenantClaim: read.matching('AUTH_TENANT_CLAIM', CLAIM, 'a claim name') ?? 'tenant_id',
    introspection: read.oneOf('AUTH_INTROSPECTION', 'public', ['public', 'token']) as 'public' | 'token',
  };
  return config;
}

function readZone(read: Reader, name: string, fallback: string): string {
  const zone = read.text(name) ?? fallback;
  if (!IANAZone.isValidZone(zone)) {
    read.problems.push(`${name} must be an IANA time zone such as Asia/Shanghai (got "${zone}")`);
    return fallback;
  }
  return zone;
}

const DEFAULT_OPT_OUT_KEYWORDS = 'TD,T,R,N,STOP,UNSUBSCRIBE,退订,拒收';

/** SMN_EVENTS_CERT: the PEM itself, or the path of a file holding it. */
function readCertificate(read: Reader): string | undefined {
  const value = read.text('SMN_EVENTS_CERT');
  if (value === undefined) return undefined;
  const pem = value.includes('-----BEGIN') ? value.replace(/\\n/g, '\n') : readFileOr(value);
  try {
    keyFromPem(pem ?? '');
    return pem;
  } catch {
    read.problems.push('SMN_EVENTS_CERT must be a PEM certificate, or the path of a file holding one');
    return undefined;
  }
}

function readFileOr(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function readEvents(read: Reader, smn: SmnTarget): EventsConfig {
  const fallback = smn.mode === 'simulator' ? 'callback' : 'off';
  const hosts = read.list('SMN_EVENTS_CERT_HOSTS');
  return {
    mode: read.oneOf('SMN_EVENTS', fallback, ['callback', 'poll', 'off']) as EventsConfig['mode'],
    certificate: readCertificate(read),
    certificateHosts: hosts.length > 0 ? hosts : DEFAULT_CERT_HOSTS,
    autoConfirm: read.boolean('SMN_EVENTS_AUTO_CONFIRM', true),
    optOutKeywords: (read.text('OPT_OUT_KEYWORDS') ?? DEFAULT_OPT_OUT_KEYWORDS)
      .split(',')
      .map((keyword) => keyword.trim())
      .filter((keyword) => keyword !== ''),
    pollSeconds: read.integer('SMN_REPORT_POLL_SECONDS', 60, 1, 3_600),
  };
}

export function readLimits(read: Reader): LimitsConfig {
  return {
    recipientsPerMinute: read.integer('QUOTA_RECIPIENTS_PER_MINUTE', 5_000, 0, 10_000_000),
    recipientsPerDay: read.integer('QUOTA_RECIPIENTS_PER_DAY', 50_000, 0, 1_000_000_000),
    catalogReadsPerMinute: read.integer('QUOTA_CATALOG_READS_PER_MINUTE', 60, 0, 1_000_000),
    smnCallsPerSecond: read.integer('SMN_MAX_CALLS_PER_SECOND', 150, 1, 10_000),
    smnConcurrentCalls: read.integer('SMN_MAX_CONCURRENT_CALLS', 16, 1, 1_000),
    smnQueuedCalls: read.integer('SMN_MAX_QUEUED_CALLS', 200, 1, 100_000),
    smnQueueTimeoutMs: read.integer('SMN_QUEUE_TIMEOUT_MS', 2_000, 1, 60_000),
    perNumberDailyLimit: read.integer('PER_NUMBER_DAILY_LIMIT', 0, 0, 1_000),
    perNumberDayZone: readZone(read, 'PER_NUMBER_DAY_ZONE', 'Asia/Shanghai'),
  };
}

export function readGraphql(read: Reader, production: boolean): GraphqlConfig {
  const corsOrigins = read.list('CORS_ORIGINS');
  for (const origin of corsOrigins) {
    let valid = false;
    try {
      valid = new URL(origin).origin === origin;
    } catch {
      valid = false;
    }
    if (!valid)
      read.problems.push(`CORS_ORIGINS must list exact origins like https://app.example.com (got "${origin}")`);
  }
  return {
    introspection: read.boolean('GRAPHQL_INTROSPECTION', true),
    playground: read.boolean('GRAPHQL_PLAYGROUND', true),
    maxDepth: read.integer('GRAPHQL_MAX_DEPTH', 15, 2, 100),
    maxAliases: read.integer('GRAPHQL_MAX_ALIASES', 15, 0, 1_000),
    maxBodyBytes: read.integer('GRAPHQL_MAX_BODY_BYTES', 1_048_576, 65_536, 16_777_216),
    corsOrigins,
    persistedQueries: read.boolean('GRAPHQL_PERSISTED_QUERIES', false),
    compiledExecution: read.boolean('GRAPHQL_COMPILED_EXECUTION', true),
    ws: {
      operations: read.oneOf('GRAPHQL_WS_OPERATIONS', 'subscriptions', ['subscriptions', 'all']) as
        'subscriptions' | 'all',
      maxConnections: read.integer('WS_MAX_CONNECTIONS', 1_000, 1, 1_000_000),
      maxConnectionsPerIp: read.integer('WS_MAX_CONNECTIONS_PER_IP', 50, 1, 1_000_000),
      connectionInitTimeoutMs: read.integer('WS_CONNECTION_INIT_TIMEOUT_MS', 5_000, 100, 60_000),
    },
    trustedDocuments: readTrustedDocuments(read, production),
  };
}

/** Huawei allows promotional SMS only 07:00-21:00 China time; the simulator is open all day by default. */
const HUAWEI_SEND_WINDOW = '07:00-21:00 Asia/Shanghai';

export function readSendWindow(read: Reader, smn: SmnTarget): SendWindow | undefined {
  const text = read.text('SEND_WINDOW') ?? (smn.mode === 'remote' ? HUAWEI_SEND_WINDOW : 'off');
  if (text.toLowerCase() === 'off') return undefined;
  const window = parseSendWindow(text);
  if (typeof window === 'string') {
    read.problems.push(`SEND_WINDOW ${window}`);
    return undefined;
  }
  return window;
}

const DURATION = /^(\d+)(ms|s|m|h|d)?$/;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration like `24h`, `30m`, `90s` or plain seconds. */
function readDurationMs(read: Reader, name: string, fallbackMs: number, minMs: number, maxMs: number): number {
  const raw = read.text(name);
  if (raw === undefined) return fallbackMs;
  const match = DURATION.exec(raw);
  const ms = match ? Number(match[1]) * DURATION_MS[match[2] ?? 's']! : Number.NaN;
  if (!(ms >= minMs && ms <= maxMs)) {
    read.problems.push(
      `${name} must be a duration like 24h, 30m or 3600 (seconds) between ${minMs / 1000}s and ${maxMs / 86_400_000}d (got "${raw}")`,
    );
    return fallbackMs;
  }
  return ms;
}

export function readState(read: Reader): StateConfig {
  return {
    redis: readRedis(read),
    keyPrefix:
      read.matching('REDIS_KEY_PREFIX', /^[A-Za-z0-9:_.-]{1,64}$/, 'letters, digits, ":", "_", "." or "-"') ??
      'smn-gateway:',
    idempotencyTtlMs: readDurationMs(read, 'IDEMPOTENCY_TTL', 86_400_000, 1_000, 30 * 86_400_000),
    idempotencyWaitMs: read.integer('IDEMPOTENCY_WAIT_MS', 15_000, 100, 300_000),
    idempotencyMemoryMaxBytes: read.integer(
      'IDEMPOTENCY_MEMORY_MAX_BYTES',
      32 * 1024 * 1024,
      1024 * 1024,
      4 * 1024 ** 3,
    ),
  };
}

export function readCampaigns(read: Reader): CampaignsConfig {
  return {
    maxRecipients: read.integer('CAMPAIGN_MAX_RECIPIENTS', 1_000_000, 1, 10_000_000),
    maxOpenPerTenant: read.integer('CAMPAIGN_MAX_OPEN_PER_TENANT', 100, 1, 100_000),
    memoryMaxRecipients: read.integer('CAMPAIGN_MEMORY_MAX_RECIPIENTS', 2_000_000, 1, 100_000_000),
    messagesPerSecond: read.integer('CAMPAIGN_MESSAGES_PER_SECOND', 1_000, 0, 100_000),
    batchAttempts: read.integer('CAMPAIGN_BATCH_ATTEMPTS', 8, 1, 100),
    workers: read.boolean('CAMPAIGN_WORKERS', true),
    workerConcurrency: read.integer('CAMPAIGN_WORKER_CONCURRENCY', 2, 1, 64),
    retentionMs: read.integer('CAMPAIGN_RETENTION_DAYS', 30, 1, 365) * 86_400_000,
    lockMs: read.integer('CAMPAIGN_LOCK_MS', 10_000, 1_000, 600_000),
    updatesSettleMs: read.integer('CAMPAIGN_UPDATES_SETTLE_SECONDS', 300, 0, 86_400) * 1_000,
  };
}

export function readWebhooks(read: Reader, production: boolean): WebhooksConfig {
  return {
    allowPrivate: read.boolean('WEBHOOK_ALLOW_PRIVATE', false),
    httpsOnly: production,
    maxEndpointsPerTenant: read.integer('WEBHOOK_MAX_ENDPOINTS_PER_TENANT', 10, 1, 1_000),
    workers: read.boolean('WEBHOOK_WORKERS', true),
    concurrency: read.integer('WEBHOOK_CONCURRENCY', 8, 1, 256),
  };
}

const SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];

/** `k=v,k2=v2` (values percent-encoded), as OTEL_RESOURCE_ATTRIBUTES is written. */
function resourceAttributes(read: Reader): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of read.list('OTEL_RESOURCE_ATTRIBUTES')) {
    const at = pair.indexOf('=');
    if (at <= 0) {
      read.problems.push(`OTEL_RESOURCE_ATTRIBUTES must be key=value pairs separated by commas (got "${pair}")`);
      continue;
    }
    try {
      attributes[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      read.problems.push(`OTEL_RESOURCE_ATTRIBUTES has a value that is not percent-encoded correctly`);
    }
  }
  return attributes;
}

/** OpenTelemetry's standard variables. Tracing is off unless an OTLP endpoint is set (and the SDK not disabled). */
export function readTracing(read: Reader): TracingConfig | undefined {
  const protocol =
    read.text('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ?? read.text('OTEL_EXPORTER_OTLP_PROTOCOL') ?? 'http/protobuf';
  if (protocol !== 'http/protobuf' && protocol !== 'http/json') {
    read.problems.push(`OTEL_EXPORTER_OTLP_PROTOCOL must be http/protobuf or http/json (got "${protocol}")`);
  }
  const tracesEndpoint = read.url('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const endpoint = read.url('OTEL_EXPORTER_OTLP_ENDPOINT');
  const sampler = read.oneOf('OTEL_TRACES_SAMPLER', 'parentbased_always_on', SAMPLERS);
  const ratioText = read.text('OTEL_TRACES_SAMPLER_ARG');
  const ratio = ratioText === undefined ? 1 : Number(ratioText);
  if (!(ratio >= 0 && ratio <= 1)) read.problems.push('OTEL_TRACES_SAMPLER_ARG must be a ratio from 0 to 1');
  const config = {
    protocol: protocol === 'http/json' ? ('http/json' as const) : ('http/protobuf' as const),
    serviceName: read.text('OTEL_SERVICE_NAME') ?? 'smn-gateway',
    resourceAttributes: resourceAttributes(read),
    sampler: { name: sampler, ratio: Number.isFinite(ratio) ? ratio : 1 },
    scheduleDelayMs: read.integer('OTEL_BSP_SCHEDULE_DELAY', 5_000, 1, 600_000),
  };
  if (read.boolean('OTEL_SDK_DISABLED', false)) return undefined;
  // The signal-specific endpoint is used as given; the general one gets the traces path.
  const url = tracesEndpoint ?? (endpoint && new URL(`${endpoint.href.replace(/\/$/, '')}/v1/traces`));
  return url ? { ...config, url } : undefined;
}
