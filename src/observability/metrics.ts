import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { RESULT_CODES } from '../error-codes.js';

/** Why a send was refused before anything reached SMN (a bounded label). */
export type RefusalReason =
  | 'validation'
  | 'auth'
  | 'quota'
  | 'outbound_limit'
  | 'window'
  | 'idempotency_key_reused'
  | 'state_unavailable'
  | 'state_lost'
  | 'state_full';

/** Why a WebSocket upgrade on /graphql was refused (a bounded label). */
export type WebSocketRefusal = 'origin' | 'connections' | 'connections_per_ip' | 'closing';

const SMN_CODE = /^(SMN|APIG)\.\d{4}$/;

/** How a GraphQL document was admitted, or why it was refused (trusted documents; a bounded label). */
export type TrustedDocumentOutcome = 'by_id' | 'adhoc' | 'refused_unknown' | 'refused_not_allowed';

/** Who sent: a publishPromotionSms call, or a campaign batch (a bounded label). */
export type SendSource = 'direct' | 'campaign';

export interface CampaignGaugeSources {
  statusCounts(): Promise<Record<string, number>>;
  queueDepth(): Promise<number>;
}

/** The `kind` label of smn_gateway_history_rows_total. */
export type HistoryRowKind = 'message' | 'report' | 'opt_out' | 'suppressed';

/** What the history gauges read of the outbox (observability/ imports nothing of history/). */
export interface HistoryOutboxStatsView {
  readonly entries: number;
  readonly oldestAt: number | undefined;
  readonly dropped: number;
}

export interface HistoryOutboxSource {
  stats(): Promise<HistoryOutboxStatsView>;
}

/**
 * The service's Prometheus metrics (prom-client), in a registry of its own. Every label is bounded:
 * never a phone number, template id, caller or free text.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const operations = new Counter({
    name: 'smn_gateway_graphql_operations_total',
    help: 'GraphQL operations by root field and outcome (ok, or the error code).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [registry],
  });
  const smnCalls = new Histogram({
    name: 'smn_gateway_smn_call_duration_seconds',
    help:
      'PromotionSmsPublish calls to SMN, by HTTP status (or "error" when no response came) and source ' +
      '(direct: publishPromotionSms, campaign: a campaign batch).',
    labelNames: ['status', 'source'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [registry],
  });
  const messages = new Counter({
    name: 'smn_gateway_messages_total',
    help: 'Numbers in SMN answers: result "sent", or "failed" with the SMN code; source direct or campaign.',
    labelNames: ['result', 'code', 'source'] as const,
    registers: [registry],
  });
  const duplicates = new Counter({
    name: 'smn_gateway_duplicates_removed_total',
    help: 'Exact duplicate numbers removed before sending.',
    registers: [registry],
  });
  const refused = new Counter({
    name: 'smn_gateway_refused_sends_total',
    help: 'Sends refused before reaching SMN, by reason (auth counts every refused token, whatever the operation).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const suppressed = new Counter({
    name: 'smn_gateway_suppressed_total',
    help: 'Numbers held back before SMN: opted out, or over the per-number daily limit.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const redisOutOfMemory = new Counter({
    name: 'smn_gateway_redis_oom_total',
    help: 'Redis answers refused for memory (OOM at maxmemory): requests refused with STATE_FULL and readiness writes that failed.',
    registers: [registry],
  });
  const optOutChanges = new Counter({
    name: 'smn_gateway_opt_out_changes_total',
    help: 'Numbers opted out (add) or back in (remove), by where the change came from.',
    labelNames: ['action', 'source'] as const,
    registers: [registry],
  });
  const webhookAttempts = new Counter({
    name: 'smn_gateway_webhook_attempts_total',
    help: 'Webhook delivery attempts, by event type and outcome (success: a 2xx answer; failure: anything else, or none).',
    labelNames: ['type', 'outcome'] as const,
    registers: [registry],
  });
  const webhookFailures = new Counter({
    name: 'smn_gateway_webhook_failures_total',
    help: 'Webhook deliveries given up after their 24 h retry window, by event type.',
    labelNames: ['type'] as const,
    registers: [registry],
  });
  const smnEvents = new Counter({
    name: 'smn_gateway_smn_events_total',
    help: 'Messages posted by SMN to /smn/events (and reports read by polling), by what became of them.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const replays = new Counter({
    name: 'smn_gateway_idempotency_replays_total',
    help: 'Answers given again for an idempotency key (nothing sent).',
    registers: [registry],
  });

  const campaignBatches = new Counter({
    name: 'smn_gateway_campaign_batches_total',
    help: 'Campaign batch runs by outcome: sent, unknown, failed, paused, retry, waiting, dropped.',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const campaignMessages = new Counter({
    name: 'smn_gateway_campaign_messages_total',
    help: 'Campaign numbers counted by finished batches (rate() is messages per second).',
    registers: [registry],
  });
  const campaignsFinished = new Counter({
    name: 'smn_gateway_campaigns_finished_total',
    help: 'Campaigns that finished on this replica, by final status (COMPLETED, CANCELLED).',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  let campaignSources: CampaignGaugeSources | undefined;
  new Gauge({
    name: 'smn_gateway_campaigns',
    help: 'Campaigns not finished, by status (DRAFT, SCHEDULED, RUNNING, PAUSED; all replicas with Redis).',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const counts = await campaignSources?.statusCounts().catch(() => undefined);
      for (const [status, count] of Object.entries(counts ?? {})) this.set({ status }, count);
    },
  });
  new Gauge({
    name: 'smn_gateway_campaign_queue_depth',
    help: 'Campaign batch jobs waiting, delayed or running.',
    registers: [registry],
    async collect() {
      const depth = await campaignSources?.queueDepth().catch(() => undefined);
      if (depth !== undefined) this.set(depth);
    },
  });
  let webhookQueueDepth: (() => Promise<number>) | undefined;
  new Gauge({
    name: 'smn_gateway_webhook_queue_depth',
    help: 'Webhook deliveries waiting, delayed (for a retry, or behind an earlier one of their subject) or running.',
    registers: [registry],
    async collect() {
      const depth = await webhookQueueDepth?.().catch(() => undefined);
      if (depth !== undefined) this.set(depth);
    },
  });
  const websocketRefusals = new Counter({
    name: 'smn_gateway_websocket_upgrades_refused_total',
    help: 'WebSocket upgrades refused: origin (403), connections (503), connections_per_ip (429), closing (503).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  let openWebSockets: (() => number) | undefined;
  new Gauge({
    name: 'smn_gateway_websocket_connections',
    help: 'WebSocket connections open on this replica.',
    registers: [registry],
    collect() {
      this.set(openWebSockets?.() ?? 0);
    },
  });

  let historyOutbox: HistoryOutboxSource | undefined;
  /** One stats() read per scrape: the three gauges collected together share the read in flight. */
  let historyRead: Promise<HistoryOutboxStatsView | undefined> | undefined;
  const outboxStats = () => {
    const source = historyOutbox;
    if (!source) return Promise.resolve(undefined);
    historyRead ??= source
      .stats()
      .catch(() => undefined)
      .finally(() => {
        historyRead = undefined;
      });
    return historyRead;
  };
  new Gauge({
    name: 'smn_gateway_history_lag_seconds',
    help: 'How long the oldest history event not yet written to PostgreSQL has waited in the outbox (0 when empty).',
    registers: [registry],
    async collect() {
      const stats = await outboxStats();
      if (!stats) return;
      this.set(stats.oldestAt === undefined ? 0 : Math.max(0, (Date.now() - stats.oldestAt) / 1000));
    },
  });
  new Gauge({
    name: 'smn_gateway_history_outbox_entries',
    help: 'History events waiting in the outbox to be written to PostgreSQL (all replicas with Redis).',
    registers: [registry],
    async collect() {
      const stats = await outboxStats();
      if (stats) this.set(stats.entries);
    },
  });
  new Gauge({
    name: 'smn_gateway_history_dropped_events',
    help: 'History events dropped because the outbox was full (HISTORY_OUTBOX_MAX_ENTRIES); sends went on.',
    registers: [registry],
    async collect() {
      const stats = await outboxStats();
      if (stats) this.set(stats.dropped);
    },
  });
  const historyRows = new Counter({
    name: 'smn_gateway_history_rows_total',
    help: 'Rows the history writer committed to PostgreSQL, by kind (message, report, opt_out, suppressed).',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const historyWriteFailures = new Counter({
    name: 'smn_gateway_history_write_failures_total',
    help: 'History writer rounds that failed (taking from the outbox, writing to PostgreSQL, or acknowledging); retried.',
    registers: [registry],
  });
  const historyAppendFailures = new Counter({
    name: 'smn_gateway_history_append_failures_total',
    help: 'History events that could not be appended to the outbox (Redis refused): the send, report or opt-out went on; its history row is missing.',
    registers: [registry],
  });
  const historyErased = new Counter({
    name: 'smn_gateway_history_erased_messages_total',
    help: 'Messages whose number was erased from the history (eraseEndpointHistory).',
    registers: [registry],
  });
  const trustedDocuments = new Counter({
    name: 'smn_gateway_trusted_documents_total',
    help: 'GraphQL requests by how their document was admitted (TRUSTED_DOCUMENTS allow or require): by_id (a listed document), adhoc (a full document not listed), refused_unknown (an id not listed), refused_not_allowed (a full document under require).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const trustedDocumentReloads = new Counter({
    name: 'smn_gateway_trusted_documents_reloads_total',
    help: 'Reloads of the trusted-document manifests (SIGHUP or a file change), by result: ok, or failed (the documents loaded before stay).',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  let trustedDocumentCount: () => number = () => 0;
  new Gauge({
    name: 'smn_gateway_trusted_documents',
    help: 'Trusted documents loaded now.',
    registers: [registry],
    collect() {
      this.set(trustedDocumentCount());
    },
  });

  return {
    registry,
    trustedDocument: (outcome: TrustedDocumentOutcome) => trustedDocuments.inc({ outcome }),
    trustedDocumentsReloaded: (result: 'ok' | 'failed') => trustedDocumentReloads.inc({ result }),
    /** Where the loaded-documents gauge reads from. */
    observeTrustedDocuments: (count: () => number) => {
      trustedDocumentCount = count;
    },
    /** An event the outbox refused (the change itself was kept). */
    historyAppendFailure: () => historyAppendFailures.inc(),
    /** Messages erased by one eraseEndpointHistory. */
    historyErased: (count: number) => count > 0 && historyErased.inc(count),
    /** Where the history gauges read from (stats() on scrape), once the outbox exists. */
    observeHistory: (outbox: HistoryOutboxSource) => {
      historyOutbox = outbox;
    },
    /** The history writer's onRows. */
    historyRows: (kind: HistoryRowKind, rows: number) => rows > 0 && historyRows.inc({ kind }, rows),
    /** The history writer's onFailure. */
    historyWriteFailure: () => historyWriteFailures.inc(),
    campaignBatch: (outcome: string, messageCount: number) => {
      campaignBatches.inc({ outcome });
      if (messageCount > 0) campaignMessages.inc(messageCount);
    },
    campaignFinished: (status: 'COMPLETED' | 'CANCELLED') => campaignsFinished.inc({ status }),
    /** Where the campaign gauges read from, once the engine exists. */
    observeCampaigns: (sources: CampaignGaugeSources) => {
      campaignSources = sources;
    },
    /** Where the webhook queue gauge reads from, once the queue exists. */
    observeWebhookQueue: (depth: () => Promise<number>) => {
      webhookQueueDepth = depth;
    },
    operation: (operation: string, outcome: string) => operations.inc({ operation, outcome }),
    smnCall: (source: SendSource, status: number | 'error', seconds: number) =>
      smnCalls.observe({ status: String(status), source }, seconds),
    sent: (source: SendSource, count: number) => count > 0 && messages.inc({ result: 'sent', code: '', source }, count),
    failed: (source: SendSource, code: string) =>
      messages.inc({
        result: 'failed',
        code: SMN_CODE.test(code) || Object.hasOwn(RESULT_CODES, code) ? code : 'other',
        source,
      }),
    duplicatesRemoved: (count: number) => count > 0 && duplicates.inc(count),
    refused: (reason: RefusalReason) => {
      refused.inc({ reason });
      if (reason === 'state_full') redisOutOfMemory.inc();
    },
    /** A readiness write Redis refused for memory. */
    redisOutOfMemory: () => redisOutOfMemory.inc(),
    smnEvent: (outcome: string) => smnEvents.inc({ outcome }),
    suppressed: (reason: 'opted_out' | 'daily_limit', count: number) => count > 0 && suppressed.inc({ reason }, count),
    optOutChanges: (action: 'add' | 'remove', source: 'MANUAL' | 'SMS_REPLY', count: number) =>
      count > 0 && optOutChanges.inc({ action, source }, count),
    webhookAttempt: (outcome: 'success' | 'failure', type: string) => webhookAttempts.inc({ type, outcome }),
    webhookGaveUp: (type: string) => webhookFailures.inc({ type }),
    replayed: () => replays.inc(),
    websocketRefused: (reason: WebSocketRefusal) => websocketRefusals.inc({ reason }),
    /** Where the open-connection gauge reads from, once the upgrade gate exists. */
    observeWebSockets: (open: () => number) => {
      openWebSockets = open;
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
