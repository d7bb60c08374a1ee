import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { callerKey, type Caller, ANONYMOUS_CALLER } from '../auth/caller.js';
import { ErrorCode } from '../error-codes.js';
import { PolicyError } from '../errors/policy-error.js';
import { failClosed } from '../errors/fail-closed.js';
import { inSpan } from '../observability/tracing.js';
import { SmnError, type SmnErrorDetails } from '../smn/errors.js';
import {
  IDEMPOTENCY_RECORD_VERSION,
  type DoneRecord,
  type IdempotencyRecord,
  type IdempotencyStore,
  type PendingRecord,
} from './idempotency-store.js';
import { nothingSent, type PromotionSmsCommand, type PromotionSmsReport, type PublishContext } from './publish.js';

export interface IdempotencyOptions {
  /** Why shared state cannot keep its promises now: then no key is claimed and nothing is sent. */
  readonly stateRefusal?: () => PolicyError | undefined;
  readonly store: IdempotencyStore;
  readonly ttlMs: number;
  /**
   * The longest one send can take (queue wait, every attempt's timeout, the backoffs). A claim stays
   * pending for that plus a margin (and at least ttlMs), so a slow send is never mistaken for an
   * abandoned one and sent again.
   */
  readonly longestSendMs?: number;
  /** How long a request waits for an earlier one with its key to finish. */
  readonly waitMs: number;
  readonly pollMs?: number;
  /**
   * Whether SMN's refusal is kept and answered again (default) or the key freed so a retry tries again
   * (a campaign resumed after its template was fixed).
   */
  readonly keepRejections?: boolean;
  /** What of a report is kept for replays (default: all of it). */
  readonly storedReport?: (report: PromotionSmsReport) => PromotionSmsReport;
}

/** Slack between the longest a send can take and its claim lapsing (clock steps, GC pauses, Redis latency). */
const CLAIM_MARGIN_MS = 60_000;

type Publish<C extends PublishContext> = (command: PromotionSmsCommand, context: C) => Promise<PromotionSmsReport>;

/** The validated input as given (endpoints before de-duplication), hashed canonically. */
export function requestHash(command: PromotionSmsCommand): string {
  const canonical = JSON.stringify([
    command.endpoints,
    command.smsTemplateId,
    command.signId ?? null,
    command.extendCode ?? null,
    command.extendSrcId ?? null,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** Keys are per caller: two callers may use the same key independently. */
function storeKey(caller: Caller, idempotencyKey: string): string {
  return createHash('sha256')
    .update(`${callerKey(caller)}\n${idempotencyKey}`)
    .digest('hex');
}

/** Outcomes a retry must get again: SMN's refusal, and a send that may have happened. */
function isStored(error: unknown): error is SmnError {
  return error instanceof SmnError && (error.kind === 'rejected' || error.delivery === 'UNKNOWN');
}

function reviveReport(stored: unknown): PromotionSmsReport {
  const report = stored as PromotionSmsReport;
  return {
    ...report,
    replayed: true,
    results: report.results.map((outcome) =>
      outcome.status === 'sent' ? { ...outcome, submittedAt: new Date(outcome.submittedAt) } : outcome,
    ),
  };
}

/** An error answered from an idempotency record (or for a claim still in flight): this request sent nothing. */
function replayedError(message: string, details: SmnErrorDetails): SmnError {
  return new SmnError(message, { ...details, replayed: true });
}

function replay(record: DoneRecord): PromotionSmsReport {
  if (record.outcome.type === 'report') return reviveReport(record.outcome.report);
  const { message, ...details } = record.outcome.error;
  throw replayedError(message, details);
}

function stillInFlight(): SmnError {
  return replayedError(
    'An earlier request with this idempotency key has not finished (or its sender stopped); it may have been ' +
      'sent. Nothing was sent now. Check delivery before sending again.',
    { kind: 'unavailable', delivery: 'UNKNOWN' },
  );
}

/**
 * Stripe-style idempotency around the publish use case. The first request with a key claims it
 * atomically and sends; the same key with the same input gets that outcome again (`replayed`),
 * waits for it while it is in flight, or, when the wait ends with no outcome, an UNKNOWN error:
 * never a second send. Only the sender consumes quota.
 */
export function withIdempotency<C extends PublishContext>(
  publish: Publish<C>,
  options: IdempotencyOptions,
): Publish<C> {
  const pollMs = options.pollMs ?? 50;
  const keepRejections = options.keepRejections ?? true;
  const pendingTtlMs = Math.max(options.ttlMs, (options.longestSendMs ?? 0) + CLAIM_MARGIN_MS);

  const send = async (key: string, pending: PendingRecord, command: PromotionSmsCommand, context: C) => {
    let report: PromotionSmsReport;
    try {
      report = await publish(command, context);
    } catch (error) {
      if (isStored(error) && (keepRejections || error.kind !== 'rejected')) {
        const done: DoneRecord = { ...doneBase(pending), outcome: { type: 'error', error: error.toJSON() } };
        await options.store.complete(key, pending, done, options.ttlMs).catch(() => undefined);
      } else if (nothingSent(error)) {
        await options.store.release(key, pending).catch(() => undefined);
      }
      // Anything else leaves the claim pending: a retry is answered UNKNOWN, never sent again.
      throw error;
    }
    // If this fails the claim stays pending: retries get UNKNOWN, which is true enough (it was sent).
    await options.store
      .complete(
        key,
        pending,
        { ...doneBase(pending), outcome: { type: 'report', report: options.storedReport?.(report) ?? report } },
        options.ttlMs,
      )
      .catch(() => undefined);
    return report;
  };

  return async (command, context) => {
    if (command.idempotencyKey === undefined) return publish(command, context);
    const refusal = options.stateRefusal?.();
    if (refusal) throw refusal;
    const key = storeKey(context.caller ?? ANONYMOUS_CALLER, command.idempotencyKey);
    const hash = requestHash(command);
    const deadline = Date.now() + (context.idempotencyWaitMs ?? options.waitMs);
    for (;;) {
      const pending: PendingRecord = {
        v: IDEMPOTENCY_RECORD_VERSION,
        state: 'pending',
        hash,
        token: randomUUID(),
        claimedAt: new Date().toISOString(),
      };
      let record: IdempotencyRecord | undefined = await inSpan('idempotency.claim', {}, async (span) => {
        const found = await failClosed(() => options.store.claim(key, pending, pendingTtlMs));
        span.setAttribute('smn_gateway.idempotency', found ? found.state : 'claimed');
        return found;
      });
      if (!record) return send(key, pending, command, context);
      while (record?.state === 'pending' && record.hash === hash && Date.now() < deadline) {
        await sleep(pollMs);
        record = await failClosed(() => options.store.get(key));
      }
      if (!record) continue; // released: the first provably sent nothing, so this request may try
      if (record.hash !== hash) {
        throw new PolicyError(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          'This idempotency key was already used with a different request; nothing was sent. Use a new key.',
        );
      }
      if (context.stats) context.stats.replayed = true;
      if (record.state === 'done') return replay(record);
      throw stillInFlight();
    }
  };
}

function doneBase(pending: PendingRecord): Omit<DoneRecord, 'outcome'> {
  return { v: IDEMPOTENCY_RECORD_VERSION, state: 'done', hash: pending.hash };
}
