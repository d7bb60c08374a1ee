import type { Config } from '../config/index.js';
import { createBatchRunner } from '../campaigns/run-batch.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { startReportPoller } from '../smn/events/report-poller.js';
import { systemClock, type Clock } from '../util/clock.js';
import { settledWithin } from '../util/settled-within.js';
import type { DeliveriesPart } from './deliveries.js';
import type { Lifecycle } from './lifecycle.js';
import type { SendPathPart } from './send-path.js';
import type { SmnPart } from './smn.js';

/**
 * Waits for `stop` at most `ms`. A campaign batch still running then keeps its idempotency claim:
 * whoever runs it next counts it unknown, never sends it twice.
 */
export async function stopWithin(stop: () => Promise<void>, ms: number, late: () => void): Promise<void> {
  const stopping = stop();
  if (!(await settledWithin(stopping, ms))) return late();
  await stopping; // a stop that failed still fails
}

/**
 * Part of the composition root (app.ts): the campaign workers (CAMPAIGN_WORKERS), taking batches from
 * the queue. They stop in `draining`, alongside HTTP: they take no new batch at once, and the ones in
 * flight finish within SHUTDOWN_TIMEOUT_MS; the rest wait in the queue for another replica or the restart.
 */
export function startCampaignWorkers(
  config: Config,
  parts: {
    readonly logger: Logger;
    readonly metrics: Metrics;
    readonly sendPath: SendPathPart;
    readonly clock: Clock | undefined;
    readonly timing: { readonly retryBaseMs?: number; readonly waitSliceMs?: number } | undefined;
  },
  draining: { add(stop: () => Promise<void>): void },
): void {
  const { logger, metrics, sendPath } = parts;
  const { batchQueue, state } = sendPath;
  draining.add(() =>
    stopWithin(
      () => batchQueue.close(),
      config.operations.shutdownTimeoutMs,
      () =>
        logger.warn(
          { timeoutMs: config.operations.shutdownTimeoutMs },
          'a campaign batch was still running at shutdown; left to its claim',
        ),
    ),
  );
  if (!config.campaigns.workers) return;
  batchQueue.work(
    createBatchRunner({
      store: sendPath.campaignStore,
      publish: sendPath.publishBatch,
      updates: state.campaignUpdates,
      sendWindow: config.sendWindow,
      maxAttempts: config.campaigns.batchAttempts,
      retryBaseMs: parts.timing?.retryBaseMs ?? 1_000,
      waitSliceMs: parts.timing?.waitSliceMs ?? 600_000,
      clock: parts.clock ?? systemClock,
      logger,
      observe: metrics.campaignBatch,
      completed: () => metrics.campaignFinished('COMPLETED'),
    }),
  );
}

/**
 * Part of the composition root (app.ts): in poll mode (SMN_EVENTS=poll), the replica that leads reads
 * SMN's report API every SMN_EVENTS_POLL_SECONDS and applies each report as a callback would. Stops
 * first of all: no new read, the one running finishes.
 */
export function startReportPolling(
  config: Config,
  parts: {
    readonly logger: Logger;
    readonly metrics: Metrics;
    readonly smn: SmnPart;
    readonly sendPath: SendPathPart;
    readonly deliveries: DeliveriesPart;
  },
  lifecycle: Lifecycle,
): void {
  if (config.events.mode !== 'poll') return;
  const { smn, metrics } = parts;
  const poller = startReportPoller({
    reports: (query) => smn.client.reports(query),
    apply: parts.deliveries.applyReport,
    count: metrics.smnEvent,
    coordination: parts.sendPath.state.pollCoordination(config.events.pollSeconds * 1000),
    intervalMs: config.events.pollSeconds * 1000,
    logger: parts.logger.child({ component: 'smn-report-poller' }),
  });
  lifecycle.toDispose(() => poller.stop());
}
