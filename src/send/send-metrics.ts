import type { SendSource } from '../observability/metrics.js';
import type { PromotionSmsCommand, PromotionSmsReport, PublishContext, PublishStats } from './publish.js';

/** The metrics every send feeds, whoever sent it. */
export interface SendMetrics {
  /** One PromotionSmsPublish call (its retries of requests that never left included), with its status. */
  smnCall(source: SendSource, status: number | 'error', seconds: number): void;
  /** Numbers SMN accepted. */
  sent(source: SendSource, count: number): void;
  /** One number SMN answered with a failure, by its code. */
  failed(source: SendSource, code: string): void;
}

type Publish<C extends PublishContext> = (command: PromotionSmsCommand, context: C) => Promise<PromotionSmsReport>;

/**
 * Counts what a send did at SMN, labelled with `source`: the call (status and duration) once it was
 * made, whatever came of it, and each number in SMN's answer. Wraps the send itself, inside the
 * idempotency layer: an answer given again for a key called nothing and counts nothing.
 */
export function countedSends<C extends PublishContext>(
  publish: Publish<C>,
  source: SendSource,
  metrics: SendMetrics,
): Publish<C> {
  return async (command, context) => {
    const stats: PublishStats = context.stats ?? {};
    try {
      return await publish(command, context.stats ? context : { ...context, stats });
    } finally {
      if (stats.smnStatus !== undefined && stats.smnLatencyMs !== undefined) {
        metrics.smnCall(source, stats.smnStatus, stats.smnLatencyMs / 1000);
      }
      metrics.sent(source, stats.sentCount ?? 0);
      for (const code of stats.failedCodes ?? []) metrics.failed(source, code);
    }
  };
}
