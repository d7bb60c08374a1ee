import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BatchJob, BatchVerdict } from '../../src/campaigns/batch-queue.js';
import { CAMPAIGN_BATCH_SIZE, newCampaignId, type Campaign } from '../../src/campaigns/campaign.js';
import {
  batchIdempotencyKey,
  createBatchRunner,
  type BatchResult,
  type BatchRunnerOptions,
  type CampaignPublish,
} from '../../src/campaigns/run-batch.js';
import { ErrorCode, ResultCode } from '../../src/error-codes.js';
import { createLogger } from '../../src/observability/logger.js';
import { stateUnavailable } from '../../src/errors/fail-closed.js';
import { PolicyError } from '../../src/errors/policy-error.js';
import { parseSendWindow, type SendWindow } from '../../src/policy/send-window.js';
import type { PromotionSmsCommand, PromotionSmsReport, PublishContext } from '../../src/send/publish.js';
import { SUBMITTED } from '../../src/send/send-log.js';
import { SmnError } from '../../src/smn/errors.js';
import { createMemoryCampaignStore } from '../../src/state/memory-campaign-store.js';
import { systemClock } from '../../src/util/clock.js';

/**
 * The batch runner's verdicts, one test per path (in the style of Novu's run-job use case spec): the
 * in-memory campaign store, a recording publish port scripted per call, and a fake clock (Date is
 * faked, so the system clock the runner reads and the queue time it answers in are one exact time).
 */

const logger = createLogger({ level: 'silent', pretty: false });
/** A Monday, 18:00 in Shanghai. */
const T0 = new Date('2026-03-02T10:00:00.000Z');
const SECOND = 1_000;
const RETRY_BASE_MS = 2_000;
const WAIT_SLICE_MS = 600_000;

type Answer = (command: PromotionSmsCommand) => Promise<PromotionSmsReport>;

/** SMN accepted every number of the batch. */
const sendsAll: Answer = (command) =>
  Promise.resolve({
    requestId: 'smn-request',
    results: command.endpoints.map((endpoint, n) => ({
      status: 'sent' as const,
      endpoint,
      messageId: `msg-${n}`,
      requestId: 'smn-request',
      smsTemplateId: command.smsTemplateId,
      submittedAt: new Date(),
      delivery: SUBMITTED,
    })),
    sentCount: command.endpoints.length,
    failedCount: 0,
    duplicatesRemoved: 0,
    suppressedCount: 0,
    replayed: false,
  });

const throws =
  (error: unknown): Answer =>
  () =>
    Promise.reject(error);

const smnDown = () =>
  new SmnError('SMN could not be reached; nothing was sent', {
    kind: 'unavailable',
    delivery: 'NOT_SENT',
    causeCode: 'ECONNREFUSED',
  });

const timedOut = () =>
  new SmnError('SMN did not answer in time; the messages may have been sent', {
    kind: 'unavailable',
    delivery: 'UNKNOWN',
    causeCode: 'ETIMEDOUT',
  });

interface WorldOptions {
  readonly recipients?: number;
  readonly messagesPerSecond?: number;
  /** SCHEDULED for this time instead of RUNNING. */
  readonly startAt?: Date;
  readonly sendWindow?: SendWindow;
  readonly maxAttempts?: number;
  /** What the publish port does on each call, in order; past the list, every number is sent. */
  readonly answers?: readonly Answer[];
}

/**
 * A started campaign of `recipients` numbers in the in-memory store, and the runner over a recording
 * publish port. Everything the runner tells the outside (publish calls, announcements, observations,
 * completions) is kept for the test to read.
 */
async function world(options: WorldOptions = {}) {
  const store = createMemoryCampaignStore({ retentionMs: 86_400_000, clock: systemClock });
  const id = newCampaignId(new Date());
  await store.create(
    {
      id,
      tenant: 'acme',
      owner: { sub: 'creator', tenant: 'acme' },
      name: 'Spring sale',
      smsTemplateId: 'tpl_promo',
      signId: 'sign_demo',
      status: 'DRAFT',
      messagesPerSecond: options.messagesPerSecond ?? 0,
      createdAt: new Date(),
      startAt: options.startAt,
    },
    10,
  );
  const endpoints = Array.from(
    { length: options.recipients ?? 3 },
    (_, n) => `+86138${String(n + 1).padStart(8, '0')}`,
  );
  await store.addRecipients(
    id,
    endpoints.map((endpoint) => ({ endpoint, canonical: endpoint })),
    1_000_000,
  );
  await store.transition(
    id,
    ['DRAFT'],
    options.startAt
      ? { status: 'SCHEDULED', fixBatches: true }
      : { status: 'RUNNING', fixBatches: true, startedAt: new Date() },
  );

  const calls: Array<{ command: PromotionSmsCommand; context: PublishContext }> = [];
  const answers = [...(options.answers ?? [])];
  const publish: CampaignPublish = (command, context) => {
    calls.push({ command, context });
    return (answers.shift() ?? sendsAll)(command);
  };
  const announced: string[] = [];
  const observed: Array<[BatchResult, number]> = [];
  let completed = 0;
  const runnerOptions: BatchRunnerOptions = {
    store,
    publish,
    updates: {
      publish: (campaignId) => {
        announced.push(campaignId);
        return Promise.resolve();
      },
    },
    sendWindow: options.sendWindow,
    maxAttempts: options.maxAttempts ?? 3,
    retryBaseMs: RETRY_BASE_MS,
    waitSliceMs: WAIT_SLICE_MS,
    clock: systemClock,
    logger,
    observe: (result, messages) => observed.push([result, messages]),
    completed: () => (completed += 1),
  };
  const run = createBatchRunner(runnerOptions);
  const campaign = async () => (await store.get(id)) as Campaign;
  const job = async (index = 0, attempt = 0): Promise<BatchJob> => ({
    campaignId: id,
    index,
    generation: (await campaign()).generation,
    attempt,
  });
  return {
    store,
    id,
    endpoints,
    run,
    job,
    campaign,
    calls,
    announced,
    observed,
    completions: () => completed,
  };
}

const DONE: BatchVerdict = { type: 'done' };

/** A `later` verdict for `job` at `at` (queue time, ms). */
const later = (job: BatchJob, at: number): BatchVerdict => ({ type: 'later', at, job });

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'], now: T0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('run-batch: dropped (nothing sent, nothing counted)', () => {
  it.each(['PAUSED', 'CANCELLED'] as const)('the campaign is %s', async (status) => {
    const w = await world();
    const job = await w.job();
    await w.store.transition(w.id, ['RUNNING'], { status });

    expect(await w.run(job)).toEqual(DONE);
    expect(w.calls).toHaveLength(0);
    expect(await w.campaign()).toMatchObject({ status, batchesDone: 0, sent: 0 });
  });

  it('the job belongs to a run before a resume (another generation)', async () => {
    const w = await world();
    const stale = await w.job();
    await w.store.transition(w.id, ['RUNNING'], { status: 'PAUSED' });
    await w.store.transition(w.id, ['PAUSED'], { status: 'RUNNING', nextGeneration: true });

    expect(await w.run(stale)).toEqual(DONE);
    expect(w.calls).toHaveLength(0);
    // The current run's job for the same batch is sent.
    expect(await w.run(await w.job())).toEqual(DONE);
    expect(w.calls).toHaveLength(1);
  });

  it('the batch is already counted', async () => {
    const w = await world({ recipients: CAMPAIGN_BATCH_SIZE + 1 });
    await w.store.recordBatch(w.id, 0, { sent: 1000, failed: 0, suppressed: 0, unknown: 0, failures: [] }, new Date());

    expect(await w.run(await w.job(0))).toEqual(DONE);
    expect(w.calls).toHaveLength(0);
    expect(w.observed).toEqual([]);
  });

  it('the campaign is unknown (expired, or never was)', async () => {
    const w = await world();
    const job = { ...(await w.job()), campaignId: newCampaignId(new Date()) };
    expect(await w.run(job)).toEqual(DONE);
    expect(w.calls).toHaveLength(0);
  });
});

describe('run-batch: SCHEDULED', () => {
  it('waits for its start time (batches in their order), then starts the campaign and sends', async () => {
    const startAt = new Date(T0.getTime() + 90 * SECOND);
    const w = await world({ recipients: CAMPAIGN_BATCH_SIZE + 5, startAt });
    const first = await w.job(0);
    const second = await w.job(1);

    expect(await w.run(first)).toEqual(later(first, startAt.getTime()));
    expect(await w.run(second)).toEqual(later(second, startAt.getTime() + 1));
    expect(w.calls).toHaveLength(0);
    expect((await w.campaign()).status).toBe('SCHEDULED');
    expect((await w.campaign()).startedAt).toBeUndefined();

    vi.setSystemTime(startAt);
    expect(await w.run(first)).toEqual(DONE);
    expect(await w.campaign()).toMatchObject({ status: 'RUNNING', startedAt: startAt, sent: 1000 });
    expect(w.calls).toHaveLength(1);
  });

  it('a start time further away than one wait slice looks again after the slice', async () => {
    const startAt = new Date(T0.getTime() + 3 * WAIT_SLICE_MS);
    const w = await world({ startAt });
    const job = await w.job();
    expect(await w.run(job)).toEqual(later(job, T0.getTime() + WAIT_SLICE_MS));
  });

  it('paused while it waited: the job at the start time is dropped', async () => {
    const startAt = new Date(T0.getTime() + 60 * SECOND);
    const w = await world({ startAt });
    const job = await w.job();
    await w.store.transition(w.id, ['SCHEDULED'], { status: 'PAUSED' });
    vi.setSystemTime(startAt);
    expect(await w.run(job)).toEqual(DONE);
    expect(w.calls).toHaveLength(0);
    expect((await w.campaign()).status).toBe('PAUSED');
  });
});

describe('run-batch: outside the send window', () => {
  // 18:00 in Shanghai is after this window; it opens at 09:00 the next morning, 15 hours on.
  const window = parseSendWindow('09:00-17:00 Asia/Shanghai') as SendWindow;
  const opens = new Date('2026-03-03T01:00:00.000Z');

  it('waits until it opens (announced once, no attempt used), then sends', async () => {
    const w = await world({ sendWindow: window, recipients: CAMPAIGN_BATCH_SIZE + 1 });
    const first = await w.job(0, 1);
    const second = await w.job(1);

    // The window is 15 hours away: the job looks again after one slice, attempt unchanged.
    expect(await w.run(first)).toEqual(later(first, T0.getTime() + WAIT_SLICE_MS));
    // Jobs waiting for the same moment wake a millisecond apart per batch index: in their order.
    expect(await w.run(second)).toEqual(later(second, T0.getTime() + WAIT_SLICE_MS + 1));
    expect(w.calls).toHaveLength(0);
    expect((await w.campaign()).nextBatchAt).toEqual(opens);
    // The second job found nextBatchAt already said: one announcement for both.
    expect(w.announced).toEqual([w.id]);
    expect(w.observed).toEqual([
      ['waiting', 0],
      ['waiting', 0],
    ]);

    vi.setSystemTime(new Date(opens.getTime() - 10 * SECOND));
    expect(await w.run(first)).toEqual(later(first, opens.getTime()));
    vi.setSystemTime(opens);
    expect(await w.run(first)).toEqual(DONE);
    expect(w.calls).toHaveLength(1);
    expect(await w.campaign()).toMatchObject({ sent: 1000, batchesDone: 1, nextBatchAt: undefined });
  });

  it('the publish path refusing with OUTSIDE_SEND_WINDOW waits the same way', async () => {
    const nextAllowedAt = new Date(T0.getTime() + 30 * SECOND);
    const refusal = new PolicyError(ErrorCode.OUTSIDE_SEND_WINDOW, 'Outside the send window.', { nextAllowedAt });
    const w = await world({ answers: [throws(refusal)] });
    const job = await w.job();

    expect(await w.run(job)).toEqual(later(job, nextAllowedAt.getTime()));
    expect(await w.campaign()).toMatchObject({ status: 'RUNNING', nextBatchAt: nextAllowedAt, batchesDone: 0 });
    vi.setSystemTime(nextAllowedAt);
    expect(await w.run(job)).toEqual(DONE);
    expect(w.calls).toHaveLength(2);
    expect((await w.campaign()).sent).toBe(3);
  });
});

describe('run-batch: paced (messagesPerSecond)', () => {
  it('a slot further than 5 s away: the job waits for it in the queue; the first batch went at once', async () => {
    // 1000 numbers at 100 per second: the next batch may go 10 s after the first.
    const w = await world({ recipients: CAMPAIGN_BATCH_SIZE + 10, messagesPerSecond: 100 });
    expect(await w.run(await w.job(0))).toEqual(DONE);
    expect((await w.campaign()).nextBatchAt).toEqual(new Date(T0.getTime() + 10 * SECOND));

    const second = await w.job(1);
    expect(await w.run(second)).toEqual(later(second, T0.getTime() + 10 * SECOND));
    expect(w.calls).toHaveLength(1);

    vi.setSystemTime(T0.getTime() + 10 * SECOND);
    expect(await w.run(second)).toEqual(DONE);
    expect(w.calls).toHaveLength(2);
    expect(await w.campaign()).toMatchObject({ status: 'COMPLETED', sent: 1010 });
  });

  describe('with real time (the runner itself waits for a slot under 5 s)', () => {
    beforeEach(() => {
      vi.useRealTimers();
    });

    it('a slot moments away: the worker waits for it and sends', async () => {
      // 1000 numbers at 100,000 per second: the second slot is 10 ms after the first.
      const w = await world({ recipients: CAMPAIGN_BATCH_SIZE + 1, messagesPerSecond: 100_000 });
      expect(await w.run(await w.job(0))).toEqual(DONE);
      expect(await w.run(await w.job(1))).toEqual(DONE);
      expect(w.calls.map((call) => call.command.endpoints.length)).toEqual([1000, 1]);
      expect((await w.campaign()).status).toBe('COMPLETED');
    });

    it('paused while the worker waited for its slot: nothing sent', async () => {
      const w = await world({ recipients: CAMPAIGN_BATCH_SIZE + 1, messagesPerSecond: 100_000 });
      expect(await w.run(await w.job(0))).toEqual(DONE);
      const takeSlot = w.store.takeSlot.bind(w.store);
      // The moment the store answers "not yet", the creator pauses the campaign.
      w.store.takeSlot = async (...args) => {
        const slot = await takeSlot(...args);
        if (!slot.go) await w.store.transition(w.id, ['RUNNING'], { status: 'PAUSED' });
        return slot;
      };
      expect(await w.run(await w.job(1))).toEqual(DONE);
      expect(w.calls).toHaveLength(1);
      expect(await w.campaign()).toMatchObject({ status: 'PAUSED', batchesDone: 1 });
    });
  });
});

describe('run-batch: refusals that mean "not yet"', () => {
  it('RATE_LIMITED waits retryAfterSeconds without using an attempt', async () => {
    const busy = new PolicyError(ErrorCode.RATE_LIMITED, 'Too many SMN calls are waiting.', {
      retryAfterSeconds: 3,
      limit: 'outbound',
    });
    const w = await world({ answers: [throws(busy)], maxAttempts: 1 });
    const job = await w.job();

    expect(await w.run(job)).toEqual(later(job, T0.getTime() + 3 * SECOND));
    expect(await w.campaign()).toMatchObject({ nextBatchAt: new Date(T0.getTime() + 3 * SECOND), batchesDone: 0 });
    // maxAttempts 1, yet the wait used none: the same job sends next time.
    vi.setSystemTime(T0.getTime() + 3 * SECOND);
    expect(await w.run(job)).toEqual(DONE);
    expect((await w.campaign()).sent).toBe(3);
  });

  it('RATE_LIMITED without a retryAfterSeconds waits one second', async () => {
    const w = await world({ answers: [throws(new PolicyError(ErrorCode.RATE_LIMITED, 'Busy.'))] });
    const job = await w.job();
    expect(await w.run(job)).toEqual(later(job, T0.getTime() + SECOND));
  });
});

describe('run-batch: retried failures that sent nothing', () => {
  it('SMN unreachable: backoff doubles per attempt (or SMN retry-after, when longer)', async () => {
    const limited = new SmnError('SMN is throttling; nothing was sent', {
      kind: 'rate-limited',
      delivery: 'NOT_SENT',
      retryAfterSeconds: 30,
    });
    const w = await world({ answers: [throws(smnDown()), throws(smnDown()), throws(limited)], maxAttempts: 5 });
    const job = await w.job();

    const first = await w.run(job);
    expect(first).toEqual(later({ ...job, attempt: 1 }, T0.getTime() + RETRY_BASE_MS));
    const second = await w.run((first as { job: BatchJob }).job);
    expect(second).toEqual(later({ ...job, attempt: 2 }, T0.getTime() + 2 * RETRY_BASE_MS));
    // SMN asked for 30 s, more than the 8 s backoff.
    const third = await w.run((second as { job: BatchJob }).job);
    expect(third).toEqual(later({ ...job, attempt: 3 }, T0.getTime() + 30 * SECOND));
    expect(await w.campaign()).toMatchObject({ batchesDone: 0, failed: 0, status: 'RUNNING' });
    expect(w.observed).toEqual([
      ['retry', 0],
      ['retry', 0],
      ['retry', 0],
    ]);
    // Each retry is the same batch under the same idempotency key.
    expect(new Set(w.calls.map((call) => call.command.idempotencyKey))).toEqual(
      new Set([batchIdempotencyKey(w.id, 0)]),
    );
  });

  it('shared state out of reach (STATE_UNAVAILABLE) is retried the same way', async () => {
    const w = await world({ answers: [throws(stateUnavailable(new Error('redis down')))] });
    const job = await w.job();
    expect(await w.run(job)).toEqual(later({ ...job, attempt: 1 }, T0.getTime() + SECOND * 2));
  });

  it('after the last attempt every number is counted failed with the code, and the campaign completes', async () => {
    const w = await world({ answers: [throws(smnDown()), throws(smnDown())], maxAttempts: 2 });
    const job = await w.job();
    const retry = await w.run(job);
    expect(retry).toMatchObject({ type: 'later', job: { attempt: 1 } });

    expect(await w.run((retry as { job: BatchJob }).job)).toEqual(DONE);
    const campaign = await w.campaign();
    expect(campaign).toMatchObject({ status: 'COMPLETED', failed: 3, sent: 0, unknown: 0, batchesDone: 1 });
    expect(w.calls).toHaveLength(2);
    expect(w.observed.at(-1)).toEqual(['failed', 3]);
    const { failures } = await w.store.failures(w.id, 0, 10);
    expect(failures).toEqual(
      w.endpoints.map((endpoint) => ({
        status: 'failed',
        endpoint,
        code: ErrorCode.SMN_UNAVAILABLE,
        message: 'SMN could not be reached; nothing was sent',
      })),
    );
  });
});

describe('run-batch: refusals every batch would meet again pause the campaign', () => {
  it('SMN_REJECTED: paused with the reason, the batch not counted', async () => {
    const rejected = new SmnError('The template does not exist', {
      kind: 'rejected',
      delivery: 'NOT_SENT',
      code: 'SMN.0162',
      httpStatus: 400,
    });
    const w = await world({ recipients: CAMPAIGN_BATCH_SIZE + 1, answers: [throws(rejected)] });

    expect(await w.run(await w.job(0))).toEqual(DONE);
    expect(await w.campaign()).toMatchObject({
      status: 'PAUSED',
      batchesDone: 0,
      sent: 0,
      failed: 0,
      pausedReason: { code: ErrorCode.SMN_REJECTED, message: 'SMN.0162: The template does not exist' },
    });
    expect(w.observed).toEqual([['paused', 0]]);
    expect(w.announced).toEqual([w.id]);
    // The next batch's job finds the campaign paused: dropped, not sent.
    expect(await w.run(await w.job(1))).toEqual(DONE);
    expect(w.calls).toHaveLength(1);
  });

  it('QUOTA_EXCEEDED (a batch larger than the whole quota): paused with the reason', async () => {
    const tooBig = new PolicyError(ErrorCode.QUOTA_EXCEEDED, 'The batch is larger than your whole quota.', {
      limit: 'quota',
      maxRecipients: 2,
    });
    const w = await world({ answers: [throws(tooBig)] });
    expect(await w.run(await w.job())).toEqual(DONE);
    expect(await w.campaign()).toMatchObject({
      status: 'PAUSED',
      batchesDone: 0,
      pausedReason: { code: ErrorCode.QUOTA_EXCEEDED, message: 'The batch is larger than your whole quota.' },
    });
  });
});

describe('run-batch: may have been sent (unknown)', () => {
  it('a timeout counts every number unknown; the same job run again is never sent again', async () => {
    const w = await world({ answers: [throws(timedOut())] });
    const job = await w.job();

    expect(await w.run(job)).toEqual(DONE);
    expect(await w.campaign()).toMatchObject({ status: 'COMPLETED', unknown: 3, sent: 0, failed: 0 });
    expect(w.observed).toEqual([['unknown', 3]]);

    // Run again (a queue that delivered it twice, a resume): dropped, SMN not asked again.
    expect(await w.run(job)).toEqual(DONE);
    expect(w.calls).toHaveLength(1);
  });

  it('an error nobody classified (a bug, a claim left pending) is unknown, never retried', async () => {
    const w = await world({ answers: [throws(new Error('something unexpected'))], maxAttempts: 5 });
    expect(await w.run(await w.job())).toEqual(DONE);
    expect(await w.campaign()).toMatchObject({ unknown: 3, batchesDone: 1 });
    expect(w.calls).toHaveLength(1);
  });
});

describe('run-batch: taken back after a stall', () => {
  it("does not wait for the dead worker's idempotency claim; an ordinary run does", async () => {
    const w = await world({ recipients: CAMPAIGN_BATCH_SIZE + 1 });
    await w.run(await w.job(0));
    await w.run(await w.job(1), { afterStall: true });
    expect(w.calls[0]!.context).not.toHaveProperty('idempotencyWaitMs');
    expect(w.calls[1]!.context).toMatchObject({ idempotencyWaitMs: 0 });
  });
});

describe('run-batch: sent', () => {
  it('as the creator, with the batch key and the campaign id; counted once however often it runs', async () => {
    const w = await world({ recipients: 4 });
    const job = await w.job();

    const verdicts = await Promise.all([w.run(job), w.run(job)]);
    expect(verdicts).toEqual([DONE, DONE]);
    // Both runs reached the publish path (whose idempotency layer answers the second from the
    // first, test/send/idempotent-publish.test.ts); the batch is counted once.
    expect(w.calls).toHaveLength(2);
    const [call] = w.calls;
    expect(call!.command).toMatchObject({
      endpoints: w.endpoints,
      smsTemplateId: 'tpl_promo',
      signId: 'sign_demo',
      idempotencyKey: `campaign:${w.id}:batch:0`,
      campaignId: w.id,
    });
    expect(call!.context.caller).toMatchObject({ sub: 'creator', tenant: 'acme' });
    expect([...call!.context.caller!.scopes]).toEqual(['sms:promotion:send']);
    // Counted once.
    expect(await w.campaign()).toMatchObject({ sent: 4, batchesDone: 1, status: 'COMPLETED' });
    expect(w.observed).toEqual([['sent', 4]]);
    expect(w.completions()).toBe(1);
    // A later delivery of the same job is dropped before the publish path.
    expect(await w.run(job)).toEqual(DONE);
    expect(w.calls).toHaveLength(2);
  });

  it('counts SMN failures as failed and held-back numbers as suppressed, with the failures kept', async () => {
    const [a, b, c, d] = ['+8613800000001', '+8613800000002', '+8613800000003', '+8613800000004'];
    const mixed: Answer = () =>
      Promise.resolve({
        requestId: 'smn-request',
        results: [
          {
            status: 'sent',
            endpoint: a,
            messageId: 'm1',
            requestId: 'smn-request',
            smsTemplateId: 't',
            submittedAt: T0,
            delivery: SUBMITTED,
          },
          { status: 'failed', endpoint: b, code: 'SMN.0167', message: 'no such number' },
          { status: 'failed', endpoint: c, code: ResultCode.OPTED_OUT, message: 'opted out' },
          { status: 'failed', endpoint: d, code: ResultCode.DAILY_LIMIT_REACHED, message: 'daily limit' },
        ],
        sentCount: 1,
        failedCount: 3,
        duplicatesRemoved: 0,
        suppressedCount: 2,
        replayed: false,
      });
    const w = await world({ recipients: 4, answers: [mixed] });
    expect(await w.run(await w.job())).toEqual(DONE);
    expect(await w.campaign()).toMatchObject({ sent: 1, failed: 1, suppressed: 2, unknown: 0 });
    expect((await w.store.failures(w.id, 0, 10)).failures.map((failure) => failure.code)).toEqual([
      'SMN.0167',
      ResultCode.OPTED_OUT,
      ResultCode.DAILY_LIMIT_REACHED,
    ]);
  });

  it('the campaign completes with its last batch, whatever order the batches finish in', async () => {
    const w = await world({ recipients: 2 * CAMPAIGN_BATCH_SIZE + 1 });
    expect(await w.run(await w.job(2))).toEqual(DONE);
    expect(await w.run(await w.job(0))).toEqual(DONE);
    expect(await w.campaign()).toMatchObject({ status: 'RUNNING', batchesDone: 2 });
    expect((await w.campaign()).finishedAt).toBeUndefined();
    expect(w.completions()).toBe(0);

    vi.setSystemTime(T0.getTime() + 5 * SECOND);
    expect(await w.run(await w.job(1))).toEqual(DONE);
    expect(await w.campaign()).toMatchObject({
      status: 'COMPLETED',
      sent: 2001,
      batchesDone: 3,
      finishedAt: new Date(T0.getTime() + 5 * SECOND),
    });
    expect(w.completions()).toBe(1);
    // Every batch announced its count.
    expect(w.announced).toEqual([w.id, w.id, w.id]);
  });
});

describe('run-batch: never throws', () => {
  it('the campaign store out of reach: looks again after retryBaseMs, attempt unchanged', async () => {
    const w = await world();
    const job = await w.job();
    w.store.get = () => Promise.reject(new Error('redis down'));
    expect(await w.run(job)).toEqual(later(job, T0.getTime() + RETRY_BASE_MS));
    expect(w.calls).toHaveLength(0);
  });

  it('an announcement that fails changes nothing: the batch is counted', async () => {
    const w = await world();
    const run = createBatchRunner({
      store: w.store,
      publish: sendsAll,
      updates: { publish: () => Promise.reject(new Error('pub/sub down')) },
      sendWindow: undefined,
      maxAttempts: 3,
      retryBaseMs: RETRY_BASE_MS,
      waitSliceMs: WAIT_SLICE_MS,
      clock: systemClock,
      logger,
    });
    expect(await run(await w.job())).toEqual(DONE);
    expect(await w.campaign()).toMatchObject({ sent: 3, status: 'COMPLETED' });
  });
});
