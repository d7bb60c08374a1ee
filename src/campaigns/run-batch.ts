import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { TraceFlags } from '@opentelemetry/api';
import { inSpan } from '../observability/tracing.js';
import { SCOPES, type Caller } from '../auth/caller.js';
import { ErrorCode } from '../error-codes.js';
import { PolicyError } from '../errors/policy-error.js';
import { checkSendWindow, type SendWindow } from '../policy/send-window.js';
import { SMN_ERROR_CODES, SmnError } from '../smn/errors.js';
import type { SmsFailure } from '../send/match-results.js';
import type { PromotionSmsCommand, PromotionSmsReport, PublishContext } from '../send/publish.js';
import type { Feed } from '../util/feed.js';
import type { Clock } from '../util/clock.js';
import { campaignAnnouncer } from './updates.js';
import type { BatchJob, BatchRun, BatchVerdict } from './batch-queue.js';
import { CAMPAIGN_BATCH_SIZE, type BatchOutcome, type Campaign } from './campaign.js';
import type { CampaignStore } from './campaign-store.js';

/** The send path a batch takes: the one publishPromotionSms takes, with its idempotency layer. */
export type CampaignPublish = (
  command: PromotionSmsCommand,
  context: PublishContext & { logger: Logger },
) => Promise<PromotionSmsReport>;

/** How a batch ended, for metrics. */
export type BatchResult = 'sent' | 'unknown' | 'failed' | 'paused' | 'retry' | 'waiting' | 'dropped';

export interface BatchRunnerOptions {
  readonly store: CampaignStore;
  readonly publish: CampaignPublish;
  /** Campaign ids, announced after each batch and status change. */
  readonly updates: Pick<Feed<string>, 'publish'>;
  readonly sendWindow: SendWindow | undefined;
  readonly maxAttempts: number;
  /** First backoff after a failure that sent nothing; doubled per attempt, at most 5 minutes. */
  readonly retryBaseMs: number;
  /** The longest one wait lasts before the job looks again (the window, the clock or the config may change). */
  readonly waitSliceMs: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly observe?: (result: BatchResult, messages: number) => void;
  /** A campaign this replica completed. */
  readonly completed?: () => void;
}

const MAX_BACKOFF_MS = 300_000;
/** A pacing slot this close is waited for by the worker itself; a later one in the queue. */
const INLINE_WAIT_MS = 5_000;

/** Deterministic per batch: a batch that may have been sent is found by its key and never sent again. */
export function batchIdempotencyKey(campaignId: string, index: number): string {
  return `campaign:${campaignId}:batch:${index}`;
}

export function ownerCaller(campaign: Campaign): Caller {
  return { ...campaign.owner, scopes: new Set([SCOPES.send]) };
}

function failuresOf(report: PromotionSmsReport): SmsFailure[] {
  return report.results.filter((outcome): outcome is SmsFailure => outcome.status === 'failed');
}

function outcomeOf(report: PromotionSmsReport): BatchOutcome {
  return {
    sent: report.sentCount,
    failed: report.failedCount - report.suppressedCount,
    suppressed: report.suppressedCount,
    unknown: 0,
    ...(report.unrecordedCount !== undefined && { unrecorded: report.unrecordedCount }),
    failures: failuresOf(report),
  };
}

/** Every number of the batch counted one way: unknown (may have been sent) or failed with a code. */
function wholeBatch(endpoints: readonly string[], as: 'unknown' | { code: string; message: string }): BatchOutcome {
  if (as === 'unknown') return { sent: 0, failed: 0, suppressed: 0, unknown: endpoints.length, failures: [] };
  return {
    sent: 0,
    failed: endpoints.length,
    suppressed: 0,
    unknown: 0,
    failures: endpoints.map((endpoint) => ({ status: 'failed', endpoint, code: as.code, message: as.message })),
  };
}

/** Failures that provably sent nothing and may pass: retried with backoff, counted against the attempts. */
function retryable(error: unknown): { code: string; retryAfterMs: number } | undefined {
  if (
    error instanceof PolicyError &&
    (error.code === ErrorCode.STATE_UNAVAILABLE || error.code === ErrorCode.STATE_FULL)
  ) {
    return { code: error.code, retryAfterMs: (error.details.retryAfterSeconds ?? 0) * 1000 };
  }
  if (error instanceof SmnError && error.delivery === 'NOT_SENT' && error.kind !== 'rejected') {
    return { code: SMN_ERROR_CODES[error.kind], retryAfterMs: (error.retryAfterSeconds ?? 0) * 1000 };
  }
  return undefined;
}

/**
 * Refusals every batch would meet again: SMN refusing the template, signature or account, or a batch
 * larger than the creator's whole recipient quota. The campaign is paused with the reason.
 */
function refusedForGood(error: unknown): { code: string; message: string } | undefined {
  if (error instanceof SmnError && error.kind === 'rejected') {
    return { code: ErrorCode.SMN_REJECTED, message: `${error.code ? `${error.code}: ` : ''}${error.message}` };
  }
  if (error instanceof PolicyError && error.code === ErrorCode.QUOTA_EXCEEDED) {
    return { code: error.code, message: error.message };
  }
  return undefined;
}

/** How often a batch held back by lost state looks again. */
const STATE_LOST_RECHECK_MS = 5_000;

/** Refusals that only mean "not yet" (the window, the quota, lost state): waited out without using an attempt. */
function waitUntil(error: unknown, now: Date): Date | undefined {
  if (!(error instanceof PolicyError)) return undefined;
  if (error.code === ErrorCode.OUTSIDE_SEND_WINDOW) return error.details.nextAllowedAt;
  // Shared state was lost: every batch waits, its attempts kept, until an operator restores or accepts.
  if (error.code === ErrorCode.STATE_LOST) return new Date(now.getTime() + STATE_LOST_RECHECK_MS);
  if (error.code === ErrorCode.RATE_LIMITED) {
    return new Date(now.getTime() + Math.max(1, error.details.retryAfterSeconds ?? 1) * 1000);
  }
  return undefined;
}

/**
 * Runs one batch job: checks the campaign still wants it, waits for the send window, the start time
 * and the pacing slot, sends it through the publish path with its deterministic idempotency key, and
 * counts the outcome once. Never throws: every failure becomes a verdict (done, or later).
 */
export function createBatchRunner(
  options: BatchRunnerOptions,
): (job: BatchJob, run?: BatchRun) => Promise<BatchVerdict> {
  const { store, clock } = options;
  const log = options.logger.child({ component: 'campaigns' });
  const observe = options.observe ?? (() => undefined);
  const done: BatchVerdict = { type: 'done' };
  const announce = campaignAnnouncer(options.updates, log);

  /**
   * Real time (the queue's) for a clock time (possibly injected), never further away than one slice.
   * Jobs that wait for the same moment wake a millisecond apart per batch index: in their order.
   */
  const later = (job: BatchJob, target: Date | number, inOrder = false): BatchVerdict => {
    const wait = Math.min(Math.max(0, Number(target) - clock.now().getTime()), options.waitSliceMs);
    return { type: 'later', at: Date.now() + wait + (inOrder ? job.index : 0), job };
  };

  /** The campaign as it is now, if it still wants this job sent. */
  const current = async (job: BatchJob): Promise<Campaign | undefined> => {
    const campaign = await store.get(job.campaignId);
    if (!campaign || campaign.generation !== job.generation) return undefined;
    return campaign.status === 'RUNNING' || campaign.status === 'SCHEDULED' ? campaign : undefined;
  };

  /**
   * Waits for the campaign's pacing slot: a short wait here (holding the worker, so the jobs behind it
   * stay queued instead of all waking at once), a long one in the queue. Undefined: go now.
   */
  const paced = async (campaign: Campaign, job: BatchJob): Promise<BatchVerdict | undefined> => {
    const size = Math.min(CAMPAIGN_BATCH_SIZE, campaign.recipients - job.index * CAMPAIGN_BATCH_SIZE);
    for (;;) {
      const slot = await store.takeSlot(campaign.id, size, campaign.messagesPerSecond, clock.now().getTime());
      if (slot.go) {
        await store.setNextBatchAt(campaign.id, new Date(slot.next));
        return undefined;
      }
      const waitMs = slot.at - clock.now().getTime();
      if (waitMs > INLINE_WAIT_MS) return later(job, slot.at);
      await sleep(Math.max(1, waitMs));
      // Paused or cancelled meanwhile: no new batch starts.
      if (!(await current(job))) return done;
    }
  };

  /** The campaign waits (window, quota, start time): nextBatchAt says until when. */
  const wait = async (campaign: Campaign, job: BatchJob, until: Date): Promise<BatchVerdict> => {
    if (campaign.nextBatchAt?.getTime() !== until.getTime()) {
      await store.setNextBatchAt(campaign.id, until);
      await announce(campaign.id);
    }
    observe('waiting', 0);
    return later(job, until, true);
  };

  const record = async (campaign: Campaign, job: BatchJob, outcome: BatchOutcome, result: BatchResult) => {
    const {
      recorded,
      completed,
      campaign: after,
    } = await store.recordBatch(campaign.id, job.index, outcome, clock.now());
    if (!recorded) return done;
    observe(result, outcome.sent + outcome.failed + outcome.suppressed + outcome.unknown);
    if (completed) {
      options.completed?.();
      log.info({ campaignId: campaign.id, sent: after?.sent, unknown: after?.unknown }, 'campaign completed');
    }
    await announce(campaign.id);
    return done;
  };

  const send = async (campaign: Campaign, job: BatchJob, afterStall: boolean): Promise<BatchVerdict> => {
    const endpoints = await store.batch(campaign.id, job.index);
    const command: PromotionSmsCommand = {
      endpoints,
      smsTemplateId: campaign.smsTemplateId,
      signId: campaign.signId,
      extendCode: campaign.extendCode,
      extendSrcId: campaign.extendSrcId,
      idempotencyKey: batchIdempotencyKey(campaign.id, job.index),
      campaignId: campaign.id,
    };
    const batchLog = log.child({ campaignId: campaign.id, batch: job.index });
    batchLog.debug({ numbers: endpoints.length, attempt: job.attempt }, 'campaign batch sending');
    let report: PromotionSmsReport;
    try {
      report = await options.publish(command, {
        caller: ownerCaller(campaign),
        requestId: `${campaign.id}-${job.index}`,
        logger: batchLog,
        // Taken back from a worker that died: a claim it left pending has no one to finish it, so
        // waiting IDEMPOTENCY_WAIT_MS for it would only hold this worker before counting it unknown.
        ...(afterStall && { idempotencyWaitMs: 0 }),
      });
    } catch (error) {
      const now = clock.now();
      const until = waitUntil(error, now);
      if (until) return wait(campaign, job, until);
      const reason = refusedForGood(error);
      if (reason) {
        // Every batch would be refused the same way: stop and say why.
        const paused = await store.transition(campaign.id, ['RUNNING'], {
          status: 'PAUSED',
          pausedReason: reason,
          nextBatchAt: undefined,
        });
        batchLog.warn({ code: reason.code }, 'campaign batch refused for good; campaign paused');
        observe('paused', 0);
        if (paused.changed) await announce(campaign.id);
        return done;
      }
      const retry = retryable(error);
      if (retry) {
        const attempt = job.attempt + 1;
        if (attempt >= options.maxAttempts) {
          batchLog.warn({ code: retry.code, attempts: attempt }, 'campaign batch failed after its last attempt');
          const message = error instanceof Error ? error.message : 'The batch could not be sent.';
          return record(campaign, job, wholeBatch(endpoints, { code: retry.code, message }), 'failed');
        }
        const backoff = Math.min(options.retryBaseMs * 2 ** (attempt - 1), MAX_BACKOFF_MS);
        observe('retry', 0);
        return later({ ...job, attempt }, now.getTime() + Math.max(backoff, retry.retryAfterMs));
      }
      // It may have reached phones (timeout, a claim left by a worker that died): never sent again.
      batchLog.warn({ err: error }, 'campaign batch may have been sent; counted unknown, not sent again');
      return record(campaign, job, wholeBatch(endpoints, 'unknown'), 'unknown');
    }
    return record(campaign, job, outcomeOf(report), 'sent');
  };

  const run = async (job: BatchJob, afterStall: boolean): Promise<BatchVerdict> => {
    let campaign = await current(job);
    if (!campaign || (await store.batchDone(campaign.id, job.index))) return done;
    const now = clock.now();
    if (campaign.status === 'SCHEDULED') {
      if (campaign.startAt && campaign.startAt > now) return later(job, campaign.startAt, true);
      const started = await store.transition(campaign.id, ['SCHEDULED'], { status: 'RUNNING', startedAt: now });
      if (started.changed) await announce(campaign.id);
      campaign = started.campaign;
      if (campaign?.status !== 'RUNNING') return done;
    }
    if (options.sendWindow) {
      const window = checkSendWindow(options.sendWindow, now);
      if (!window.open) return wait(campaign, job, window.nextAllowedAt);
    }
    if (campaign.messagesPerSecond > 0) {
      const verdict = await paced(campaign, job);
      if (verdict) return verdict;
    } else if (campaign.nextBatchAt) {
      await store.setNextBatchAt(campaign.id, undefined);
    }
    return send(campaign, job, afterStall);
  };

  const traced = (job: BatchJob, afterStall: boolean) =>
    inSpan(
      'campaign.batch',
      {
        root: true,
        attributes: { 'smn_gateway.campaign_id': job.campaignId, 'smn_gateway.batch': job.index },
        ...(job.link && { links: [{ context: { ...job.link, traceFlags: TraceFlags.SAMPLED } }] }),
      },
      () => run(job, afterStall),
    );

  return async (job, batchRun) => {
    try {
      return await traced(job, batchRun?.afterStall ?? false);
    } catch (error) {
      // The campaign store is out of reach before anything was sent: look again shortly.
      log.warn(
        { err: error, campaignId: job.campaignId, batch: job.index },
        'campaign batch could not run; will retry',
      );
      return later(job, clock.now().getTime() + options.retryBaseMs);
    }
  };
}
