import type { Logger } from 'pino';
import type { Clock } from '../util/clock.js';
import {
  MAX_ATTEMPTS_KEPT,
  RESPONSE_KEPT_CHARS,
  type WebhookAttempt,
  type WebhookDeliveryRecord,
  type WebhookStore,
} from './endpoint-store.js';
import type { WebhookSender } from './http-sender.js';
import type { WebhookJob, WebhookVerdict } from './queue.js';
import { signedHeaders, signingSecrets } from './signing.js';

/** Retries go on this long after the event (the 24 h). */
export const RETRY_WINDOW_MS = 24 * 60 * 60 * 1000;
/** The first retry waits this long; each next one twice as long, up to MAX_RETRY_DELAY_MS. */
export const RETRY_BASE_MS = 5_000;
export const MAX_RETRY_DELAY_MS = 60 * 60 * 1000;

export interface RetryTiming {
  readonly baseMs: number;
  readonly maxDelayMs: number;
  readonly windowMs: number;
}

export const DEFAULT_RETRY_TIMING: RetryTiming = {
  baseMs: RETRY_BASE_MS,
  maxDelayMs: MAX_RETRY_DELAY_MS,
  windowMs: RETRY_WINDOW_MS,
};

/** The wait after failed attempt `attempt` (1-based): base, 2×base, 4×base… capped. */
export function retryDelay(attempt: number, timing: RetryTiming): number {
  return Math.min(timing.maxDelayMs, timing.baseMs * 2 ** Math.min(attempt - 1, 30));
}

export interface DeliverDeps {
  readonly store: WebhookStore;
  readonly send: WebhookSender;
  readonly clock: Clock;
  readonly timing: RetryTiming;
  readonly logger: Logger;
  /** Metrics: each attempt's outcome, and deliveries given up. */
  readonly observe?: (outcome: 'success' | 'failure', type: string) => void;
  readonly gaveUp?: (type: string) => void;
}

const succeeded = (statusCode: number | undefined) => statusCode !== undefined && statusCode >= 200 && statusCode < 300;

/**
 * One attempt of one delivery: signs it now (fresh timestamp, current secrets), sends it, keeps what
 * happened, and answers when to try again: after a non-2xx answer or none, with a doubling backoff for
 * as long as the retry window lasts. A deleted endpoint ends its deliveries.
 */
export async function deliverOnce(deps: DeliverDeps, job: WebhookJob): Promise<WebhookVerdict> {
  const endpoint = await deps.store.get(job.tenant, job.endpointId);
  if (!endpoint) return { type: 'done' };
  const record = await deps.store.getDelivery(job.tenant, job.endpointId, job.deliveryId);
  const type = record?.type ?? 'UNKNOWN';
  const at = deps.clock.now();
  const headers = signedHeaders(signingSecrets(endpoint, at), job.deliveryId, at, job.body);
  const sent = await deps.send(endpoint.url, headers, job.body);
  const attempt: WebhookAttempt = {
    at,
    durationMs: sent.durationMs,
    ...(sent.statusCode !== undefined && { statusCode: sent.statusCode }),
    ...(sent.body !== undefined && sent.body !== '' && { responseBody: sent.body.slice(0, RESPONSE_KEPT_CHARS) }),
    ...(sent.error !== undefined && { error: sent.error }),
  };
  const attempts = job.attempt + 1;
  const ok = succeeded(sent.statusCode);
  deps.observe?.(ok ? 'success' : 'failure', type);
  const delay = retryDelay(attempts, deps.timing);
  const nextAt = at.getTime() + delay;
  const retry = !ok && nextAt <= job.createdAt + deps.timing.windowMs;
  if (record) {
    const updated: WebhookDeliveryRecord = {
      ...record,
      status: ok ? 'SUCCEEDED' : retry ? 'PENDING' : 'FAILED',
      attemptCount: attempts,
      attempts: [...record.attempts, attempt].slice(-MAX_ATTEMPTS_KEPT),
      nextAttemptAt: retry ? new Date(nextAt) : undefined,
    };
    await deps.store.putDelivery(updated);
  }
  if (ok) return { type: 'done' };
  if (!retry) {
    deps.gaveUp?.(type);
    deps.logger.warn(
      { endpointId: job.endpointId, deliveryId: job.deliveryId, attempts },
      'webhook delivery given up after its retry window',
    );
    return { type: 'done' };
  }
  return { type: 'later', at: nextAt, job: { ...job, attempt: attempts } };
}
