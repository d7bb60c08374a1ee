import type { Envelope } from '../smn/events/envelope.js';

/**
 * What the simulator's main thread and its report worker (`report-worker.ts`) say to each other. The
 * worker holds the signing key, signs, posts and retries; the main thread keeps the reports and the
 * list of what was posted.
 */

/** How a posted envelope ended: the endpoint's last HTTP status, `error` (no answer), `dropped` (never sent). */
export type PostStatus = number | 'error' | 'dropped';

export interface PostedEvent {
  readonly envelope: Envelope;
  readonly status: PostStatus;
  /** How many times it was posted (1 + retries). */
  readonly attempts: number;
}

export interface ReportRetry {
  /** Retries after the first post (SMN: 6). */
  readonly retries: number;
  /** The first retry's delay; each next one doubles it (1 s: 1, 2, 4, 8, 16, 32 s). */
  readonly firstDelayMs: number;
  /** How long a post waits for the endpoint's answer (SMN: 5 s). */
  readonly timeoutMs: number;
  /** Posts in flight at once. */
  readonly concurrency: number;
  /** Envelopes waiting (to be posted, or to be retried) at most; past it new reports are dropped. */
  readonly maxPending: number;
}

export interface WorkerSetup {
  readonly privateKeyPem: string;
  readonly retry: ReportRetry;
}

export type ToWorker =
  | {
      /** Delivery reports to post (each event's JSON): the worker builds, signs, posts and retries. */
      readonly kind: 'reports';
      readonly endpoint: string;
      readonly topicUrn: string;
      readonly certificateUrl: string;
      readonly messages: readonly string[];
    }
  | {
      /** One envelope posted once, now, and answered (control requests, the subscription confirmation). */
      readonly kind: 'one';
      readonly id: number;
      readonly endpoint: string;
      readonly envelope: Envelope;
      /** Sign it first (false: post exactly as given, e.g. a tampered copy). */
      readonly sign: boolean;
    };

export type FromWorker =
  | { readonly kind: 'posted'; readonly events: readonly PostedEvent[] }
  | { readonly kind: 'answer'; readonly id: number; readonly event: PostedEvent };
