import type { RedisConfig } from './redis.js';
import type { TracingConfig } from '../observability/tracing-sdk.js';
import type { JwtVerifierOptions } from '../auth/jwt-verifier.js';
import type { SendWindow } from '../policy/send-window.js';
import type { AkSkCredentials } from '../smn/signer.js';

/** Where SMN calls go: Huawei Cloud (credentials configured), or the embedded local simulator. */
export type SmnTarget =
  | {
      readonly mode: 'remote';
      readonly endpoint: URL;
      readonly projectId: string;
      readonly credentials: AkSkCredentials;
    }
  | { readonly mode: 'simulator' };

/** How callers prove who they are: JWTs checked against a JWKS, or nobody checked at all. */
export type AuthConfig =
  | ({
      readonly mode: 'jwt';
      /** `public`: introspection and `_service` without a token; `token`: those need one too. */
      readonly introspection: 'public' | 'token';
    } & JwtVerifierOptions)
  | {
      readonly mode: 'disabled';
      /** true when AUTH_DISABLED=true was set (warned about at every start); false for the simulator default. */
      readonly explicit: boolean;
    };

export interface LimitsConfig {
  /** Per caller; 0 disables. */
  readonly recipientsPerMinute: number;
  readonly recipientsPerDay: number;
  /** SMN calls one caller's catalog reads may make per minute (cache hits are free); 0 disables. */
  readonly catalogReadsPerMinute: number;
  /** Toward SMN, for this process. */
  readonly smnCallsPerSecond: number;
  readonly smnConcurrentCalls: number;
  readonly smnQueuedCalls: number;
  readonly smnQueueTimeoutMs: number;
  /** Most accepted messages per number (canonical form) per calendar day; 0 is no limit. */
  readonly perNumberDailyLimit: number;
  /** The IANA zone whose calendar days the per-number limit counts. */
  readonly perNumberDayZone: string;
}

export interface GraphqlConfig {
  readonly introspection: boolean;
  readonly playground: boolean;
  readonly maxDepth: number;
  readonly maxAliases: number;
  readonly maxBodyBytes: number;
  readonly corsOrigins: readonly string[];
  /** Automatic persisted queries (off unless configured). */
  readonly persistedQueries: boolean;
  /** Operations compiled once (graphql-jit) rather than interpreted by graphql-js on each request. */
  readonly compiledExecution: boolean;
  /** The WebSocket (graphql-ws) on the same path. */
  readonly ws: WebSocketConfig;
  /** Which documents run: listed ones by id, and when full text is refused (docs/security.md). */
  readonly trustedDocuments: TrustedDocumentsConfig;
}

export type TrustedDocumentsMode = 'off' | 'allow' | 'require';

export interface TrustedDocumentsConfig {
  /** `off`: any document, ids not understood; `allow`: ids and any document; `require`: listed documents only. */
  readonly mode: TrustedDocumentsMode;
  /** Manifest files (Apollo's persisted-query manifest or the client preset's persisted documents). */
  readonly manifests: readonly string[];
  /** A token with this scope may send documents that are not listed, under `require`. */
  readonly adhocScope: string;
  /** How often the manifest files are checked for a change (reloaded when one changed). */
  readonly watchIntervalMs: number;
}

export interface WebSocketConfig {
  /** `subscriptions`: queries and mutations are refused over the WebSocket (HTTP only); `all`: any operation. */
  readonly operations: 'subscriptions' | 'all';
  /** Open WebSocket connections per replica; one more upgrade is refused with 503. */
  readonly maxConnections: number;
  /** Open WebSocket connections per client IP address (the socket's); one more is refused with 429. */
  readonly maxConnectionsPerIp: number;
  /** How long a new connection may take to send `connection_init` before it is closed (4408). */
  readonly connectionInitTimeoutMs: number;
}

export interface Config {
  readonly port: number;
  /** HOST; by default 127.0.0.1 when auth is off (nothing else guards the API), else 0.0.0.0. */
  readonly host: string;
  readonly production: boolean;
  readonly logLevel: string;
  readonly smn: SmnTarget;
  /** Longest a client may take to send a whole request (headers and body); then 408 and the socket closes. */
  readonly httpRequestTimeoutMs: number;
  /** Longest a client may take to send the request headers. */
  readonly httpHeadersTimeoutMs: number;
  readonly smnTimeoutMs: number;
  readonly smnConnectTimeoutMs: number;
  /** Longest SMN answer read; past it the call fails with delivery UNKNOWN. */
  readonly smnMaxResponseBytes: number;
  /** The embedded in-memory send log that SmsSent entities are resolved from. */
  readonly sendLog: { readonly maxEntries: number; readonly ttlSeconds: number };
  readonly auth: AuthConfig;
  readonly limits: LimitsConfig;
  readonly graphql: GraphqlConfig;
  /** Promotional sends are refused outside it; undefined when off. */
  readonly sendWindow: SendWindow | undefined;
  readonly state: StateConfig;
  /** The history in PostgreSQL; undefined when HISTORY_DATABASE_URL is unset. */
  readonly history: HistoryConfig | undefined;
  readonly operations: OperationsConfig;
  readonly events: EventsConfig;
  readonly campaigns: CampaignsConfig;
  readonly webhooks: WebhooksConfig;
  /** OpenTelemetry tracing; undefined (off) unless an OTLP endpoint is set. */
  readonly tracing: TracingConfig | undefined;
  /** Carry the trace context on to SMN as `traceparent` (a third party: off by default). */
  readonly smnPropagateTrace: boolean;
  /** How long SMN's template and signature lists are reused per replica. */
  readonly catalogCacheMs: number;
  /** The embedded simulator's report delay (SIMULATOR_REPORT_DELAY_MS). */
  readonly simulatorReportDelayMs: number;
}

/** How delivery reports and replies reach the service. */
export interface EventsConfig {
  /** `callback`: SMN posts to /smn/events; `poll`: the report API is read; `off`: neither. */
  readonly mode: 'callback' | 'poll' | 'off';
  /** The pinned signing certificate (PEM); when set, nothing is ever fetched. */
  readonly certificate: string | undefined;
  /** Hosts a signing_cert_url or subscribe_url may point at (`*` is one label). */
  readonly certificateHosts: readonly string[];
  readonly autoConfirm: boolean;
  /** Replies that opt the sender out, compared trimmed and case-folded. */
  readonly optOutKeywords: readonly string[];
  readonly pollSeconds: number;
}

export interface CampaignsConfig {
  readonly maxRecipients: number;
  /** Campaigns not yet finished (DRAFT, SCHEDULED, RUNNING, PAUSED) one tenant may have. */
  readonly maxOpenPerTenant: number;
  /** Without Redis: recipients all campaigns of this replica may hold; an add past it adds nothing. */
  readonly memoryMaxRecipients: number;
  /** Default pacing; 0 paces nothing. */
  readonly messagesPerSecond: number;
  readonly batchAttempts: number;
  readonly workers: boolean;
  readonly workerConcurrency: number;
  readonly retentionMs: number;
  /** BullMQ lock: a batch whose worker died is run again after about this long. */
  readonly lockMs: number;
  /**
   * promotionCampaignUpdates ends this long after it first saw its campaign COMPLETED or CANCELLED, when
   * the delivery counts have not settled before (every reachable message with a counted final report).
   */
  readonly updatesSettleMs: number;
}

export interface OperationsConfig {
  /** Serve /metrics on this port instead of the main one; undefined keeps it on the main port. */
  readonly metricsPort: number | undefined;
  /** How long in-flight requests may take to finish after SIGTERM before connections are cut. */
  readonly shutdownTimeoutMs: number;
  /** Human-readable logs: only on a terminal, never in production. */
  readonly prettyLogs: boolean;
}

export interface StateConfig {
  /** Shared state for several replicas (standalone, Sentinel or Cluster); everything in memory when undefined. */
  readonly redis: RedisConfig | undefined;
  /** Prepended to every Redis key. */
  readonly keyPrefix: string;
  /** How long an idempotency key is remembered. */
  readonly idempotencyTtlMs: number;
  /** How long a request waits for an earlier one with the same key to finish. */
  readonly idempotencyWaitMs: number;
  /** Without Redis: most bytes of stored answers kept; past it the oldest are forgotten early. */
  readonly idempotencyMemoryMaxBytes: number;
}

export interface SimulatorConfig {
  readonly port: number;
  readonly host: string;
  readonly projectId: string;
  readonly credentials: AkSkCredentials;
  /** How long after a send the simulator posts its delivery reports. */
  readonly reportDelayMs: number;
  /** Subscribed at start (a signed SubscriptionConfirmation is posted there), e.g. http://host/smn/events. */
  readonly eventsEndpoint: string | undefined;
}

/** HISTORY_*: records in PostgreSQL (docs/history.md). */
export interface HistoryConfig {
  /** postgres:// URL; TLS by its `sslmode`. */
  readonly databaseUrl: string;
  /** HISTORY_DATABASE_CA: a private CA for the server's certificate (PEM). */
  readonly ca: string | undefined;
  readonly retentionDays: number;
  /** The most events the outbox holds; beyond it events are dropped and counted (sends go on). */
  readonly outboxMaxEntries: number;
  /** HMAC key for erased numbers and the number index. */
  readonly erasureKey: string;
  /** True when HISTORY_ERASURE_KEY was not set (outside production only): start-up warns. */
  readonly erasureKeyDefaulted: boolean;
  /** Whether this replica drains the outbox (HISTORY_WRITER). */
  readonly writer: boolean;
  /** How long an entry taken by a writer may stay unacknowledged before another replica takes it over. */
  readonly claimIdleMs: number;
  /** Outbox entries per write. */
  readonly batchEntries: number;
}

/** Webhooks to tenants' endpoints (WEBHOOK_*). */
export interface WebhooksConfig {
  /** WEBHOOK_ALLOW_PRIVATE: private, loopback and link-local addresses may be endpoints (tests, closed networks). */
  readonly allowPrivate: boolean;
  /** NODE_ENV=production: endpoints must be https. */
  readonly httpsOnly: boolean;
  readonly maxEndpointsPerTenant: number;
  /** WEBHOOK_WORKERS: this replica delivers (false: it only queues). */
  readonly workers: boolean;
  /** Deliveries one replica sends at once. */
  readonly concurrency: number;
}
