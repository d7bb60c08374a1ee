import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { SmnPromotionPort } from '../smn/client.js';
import type { SmnPromotionResponse } from '../smn/wire.js';
import { ANONYMOUS_CALLER, callerIdentity, callerKey, tenantOf, type Caller } from '../auth/caller.js';
import { ErrorCode } from '../error-codes.js';
import { PolicyError } from '../errors/policy-error.js';
import type { RecipientQuota } from '../policy/recipient-quota.js';
import { checkSendWindow, type SendWindow } from '../policy/send-window.js';
import { SmnError } from '../smn/errors.js';
import type { RecentRecipient, RecentRecipientsStore } from './recent-recipients.js';
import { canonicalNumber } from '../suppression/canonical-number.js';
import { screen, type HoldReason, type SuppressionRules } from '../suppression/screen.js';
import { matchResults, type SmsFailure } from './match-results.js';
import { inSpan } from '../observability/tracing.js';
import { SUBMITTED, type DeliveryState, type SendLog, type SentMessage } from './send-log.js';
import { systemClock, type Clock } from '../util/clock.js';

/** Validated values from the API edge, in our own (camelCase) words. */
export interface PromotionSmsCommand {
  readonly endpoints: readonly string[];
  /** The canonical forms of `endpoints`, aligned, when the API edge has read them already; read here otherwise. */
  readonly numbers?: readonly string[] | undefined;
  readonly smsTemplateId: string;
  readonly signId?: string | undefined;
  readonly extendCode?: string | undefined;
  readonly extendSrcId?: string | undefined;
  /** Makes retries safe: the same key and input are answered from the first outcome, never sent again. */
  readonly idempotencyKey?: string | undefined;
  /** Set when a campaign sends this batch: every message it sends carries it. */
  readonly campaignId?: string | undefined;
}

/**
 * What happened to one number: sent (with everything the send log keeps about it, SUBMITTED until a
 * report says otherwise), or failed. Served as SmsSent / SmsFailed as they are (graphql/promotion-sms/payload.ts).
 */
export type SentOutcome = { readonly status: 'sent'; readonly delivery: DeliveryState } & SentMessage;
export type SmsOutcome = SentOutcome | SmsFailure;

export interface PromotionSmsReport {
  readonly requestId: string;
  /** One per phone, in de-duplicated input order, each with the number as the caller wrote it. */
  readonly results: readonly SmsOutcome[];
  readonly sentCount: number;
  readonly failedCount: number;
  readonly duplicatesRemoved: number;
  /** Numbers held back by the opt-out list or the daily limit (also counted in failedCount). */
  readonly suppressedCount: number;
  /** True when this is a stored answer given again for an idempotency key: this request sent nothing. */
  readonly replayed: boolean;
  /**
   * Messages SMN accepted that could not be written to the send log (Redis full or out of reach): sent,
   * but reports for them will not be matched. Counted on a campaign; absent when all were recorded.
   */
  readonly unrecordedCount?: number;
}

export interface PublishDependencies {
  readonly smn: SmnPromotionPort;
  readonly sendLog: SendLog;
  readonly logger: Logger;
  /** The clock for the send window and submittedAt (tests pin it). */
  readonly clock?: Clock;
  /** Promotional sends are refused outside it; no window when undefined. */
  readonly sendWindow?: SendWindow | undefined;
  /** Per-caller recipient quota; none when undefined. */
  readonly quota?: RecipientQuota | undefined;
  /**
   * Why shared state cannot keep its promises now (out of reach, unchecked since a reconnect, or lost):
   * then nothing is sent (fail closed).
   */
  readonly stateRefusal?: () => PolicyError | undefined;
  /** Opt-outs and the per-number daily limit; none when undefined. */
  readonly suppression?: SuppressionRules | undefined;
  /** Who was sent to lately, for matching replies (which may show the number masked). */
  readonly recentRecipients?: RecentRecipientsStore | undefined;
  /** Told how many numbers a completed send held back (the history's counts); must not throw. */
  readonly onHeldBack?: ((held: HeldBackCount) => void) | undefined;
}

/** Numbers one send held back (opted out or at their daily limit), counted, never listed. */
export interface HeldBackCount {
  readonly tenant: string;
  readonly at: Date;
  readonly smsTemplateId: string;
  readonly campaignId?: string | undefined;
  readonly count: number;
}

export interface PublishContext {
  readonly requestId?: string;
  readonly caller?: Caller;
  /** Filled in as the send goes, for the per-operation log line and metrics. */
  readonly stats?: PublishStats;
  /**
   * How long to wait for an earlier request with the same idempotency key to finish (IDEMPOTENCY_WAIT_MS
   * when absent); 0 answers at once. A campaign batch taken back from a dead worker does not wait for
   * the claim that worker left.
   */
  readonly idempotencyWaitMs?: number;
}

/** What one publish did, for operators: counts, SMN's request id and latency. */
export interface PublishStats {
  recipients?: number;
  duplicatesRemoved?: number;
  sentCount?: number;
  failedCount?: number;
  /** SMN codes of the numbers that failed, one per number. */
  failedCodes?: string[];
  smnRequestId?: string;
  smnStatus?: number | 'error';
  smnLatencyMs?: number;
  replayed?: boolean;
  /** Numbers held back, by reason. */
  suppressed?: Partial<Record<HoldReason, number>>;
}

/** A batch with one entry per phone: the numbers as the caller wrote them, and aligned, their canonical forms. */
export interface UniquePhones {
  readonly endpoints: readonly string[];
  readonly numbers: readonly string[];
}

/**
 * De-duplication by phone, first spelling kept: `13812345678`, `+8613812345678` and `+86013812345678`
 * are one phone, sent one message (SMN receives the canonical form, so it would see them as one too).
 * Numbers come validated from the API edge; one the library cannot read (an old campaign's recipient)
 * stays as written.
 */
export function uniquePhones(given: readonly string[], read?: readonly string[]): UniquePhones {
  const seen = new Set<string>();
  const endpoints: string[] = [];
  const numbers: string[] = [];
  for (let index = 0; index < given.length; index += 1) {
    const endpoint = given[index]!;
    const number = read?.[index] ?? canonicalNumber(endpoint) ?? endpoint;
    if (seen.has(number)) continue;
    seen.add(number);
    endpoints.push(endpoint);
    numbers.push(number);
  }
  return { endpoints, numbers };
}

/**
 * Remembers what SMN accepted. The messages are already on their way, so a failing store must not
 * fail the call (a caller would retry and send twice): it is logged and the report goes out.
 */
async function recordSent(deps: PublishDependencies, sent: readonly SentMessage[]): Promise<number> {
  if (sent.length === 0) return 0;
  try {
    await inSpan('send_log.record', { attributes: { 'smn_gateway.messages': sent.length } }, () =>
      deps.sendLog.record(sent),
    );
    return 0;
  } catch (err) {
    deps.logger.error({ err, messages: sent.length }, 'could not record sent messages in the send log');
    return sent.length;
  }
}

/** Refuses, before anything is sent, a batch outside the promotional send window. */
function assertInsideSendWindow(window: SendWindow | undefined, now: Date): void {
  if (!window) return;
  const check = checkSendWindow(window, now);
  if (check.open) return;
  throw new PolicyError(
    ErrorCode.OUTSIDE_SEND_WINDOW,
    `Promotional SMS may only be sent ${window.text}; next allowed at ${check.nextAllowedAt.toISOString()}.`,
    { nextAllowedAt: check.nextAllowedAt, sendWindow: window.text },
  );
}

/**
 * Whether a failed send provably reached no phone: refused by our own policy, or SMN refused it or was
 * never reached. Then its quota is given back and its idempotency key freed for a retry.
 */
export function nothingSent(error: unknown): boolean {
  return error instanceof PolicyError || (error instanceof SmnError && error.delivery === 'NOT_SENT');
}

const HOLD_MESSAGES: Record<HoldReason, string> = {
  OPTED_OUT: 'This number opted out of promotional SMS; it was not sent.',
  DAILY_LIMIT_REACHED: 'This number has had its promotional SMS for today; it was not sent.',
};

function heldBack(endpoint: string, reason: HoldReason): SmsFailure {
  return { status: 'failed', endpoint, code: reason, message: HOLD_MESSAGES[reason] };
}

/** Counts per reason, for the operation's log line and metrics. */
function countHeld(held: ReadonlyMap<string, HoldReason>): Partial<Record<HoldReason, number>> {
  const counts: Partial<Record<HoldReason, number>> = {};
  for (const reason of held.values()) counts[reason] = (counts[reason] ?? 0) + 1;
  return counts;
}

export async function publishPromotionSms(
  deps: PublishDependencies,
  command: PromotionSmsCommand,
  context: PublishContext = {},
): Promise<PromotionSmsReport> {
  const refusal = deps.stateRefusal?.();
  if (refusal) throw refusal;
  const { endpoints, numbers } = uniquePhones(
    command.endpoints,
    command.numbers?.length === command.endpoints.length ? command.numbers : undefined,
  );
  const { stats } = context;
  if (stats) {
    stats.recipients = endpoints.length;
    stats.duplicatesRemoved = command.endpoints.length - endpoints.length;
  }
  const caller = context.caller ?? ANONYMOUS_CALLER;
  const submittedAt = (deps.clock ?? systemClock).now();
  if (deps.sendWindow) {
    await inSpan('policy.send_window', {}, async () => assertInsideSendWindow(deps.sendWindow, submittedAt));
  }
  const screened = deps.suppression
    ? await screen(deps.suppression, tenantOf(caller), numbers, submittedAt, (error) =>
        deps.logger.warn({ err: error }, 'could not give back per-number daily sends'),
      )
    : { toSend: numbers, held: new Map<string, HoldReason>(), release: () => Promise.resolve() };
  const { toSend, held } = screened;
  if (stats && held.size > 0) stats.suppressed = countHeld(held);
  const quotaKey = callerKey(caller);
  try {
    const { quota } = deps;
    if (toSend.length > 0 && quota) await inSpan('policy.quota', {}, () => quota.consume(quotaKey, toSend.length));
  } catch (error) {
    await screened.release(toSend);
    throw error;
  }
  let response: SmnPromotionResponse;
  if (toSend.length === 0) {
    // Everything was held back: SMN is not called; the answer carries this request's own id.
    response = { request_id: context.requestId ?? randomUUID(), result: [] };
  } else {
    try {
      response = await deps.smn.publishPromotion(
        {
          endpoints: toSend,
          smsTemplateId: command.smsTemplateId,
          signId: command.signId,
          extendCode: command.extendCode,
          extendSrcId: command.extendSrcId,
        },
        {
          requestId: context.requestId,
          logger: deps.logger,
          observe: ({ status, ms }) => {
            if (stats) Object.assign(stats, { smnStatus: status, smnLatencyMs: ms });
          },
        },
      );
    } catch (error) {
      if (nothingSent(error)) {
        // Best effort: the refusal the caller needs to see is the SMN one, not a quota store hiccup.
        await deps.quota?.refund(quotaKey, toSend.length).catch((refundError: unknown) => {
          deps.logger.warn({ err: refundError }, 'could not give back recipient quota');
        });
        await screened.release(toSend);
      }
      throw error;
    }
  }
  const sentBy = callerIdentity(caller);
  const tenant = tenantOf(caller);
  // One pass over the batch builds the answer, the send log's entries and the reply index: the
  // matched results line up with `toSend`, which is `numbers` without the held-back ones. SMN was
  // sent the canonical numbers; the caller gets each outcome under the number as they wrote it.
  const matched = matchResults(toSend, response.result, deps.logger);
  const results: SmsOutcome[] = new Array<SmsOutcome>(endpoints.length);
  const sent: SentOutcome[] = [];
  const failedAtSmn: string[] = [];
  const failedCodes: string[] = [];
  const remembered: RecentRecipient[] = [];
  let next = 0;
  for (let index = 0; index < endpoints.length; index += 1) {
    const endpoint = endpoints[index]!;
    const number = numbers[index]!;
    const reason = held.size > 0 ? held.get(number) : undefined;
    if (reason) {
      results[index] = heldBack(endpoint, reason);
      continue;
    }
    const result = matched[next++]!;
    if (result.status === 'failed') {
      results[index] = result.endpoint === endpoint ? result : { ...result, endpoint };
      failedAtSmn.push(number);
      failedCodes.push(result.code);
      continue;
    }
    const message: SentOutcome = {
      status: 'sent',
      messageId: result.messageId,
      endpoint,
      requestId: response.request_id,
      smsTemplateId: command.smsTemplateId,
      signId: command.signId,
      extendCode: command.extendCode,
      submittedAt,
      sentBy,
      campaignId: command.campaignId,
      delivery: SUBMITTED,
    };
    results[index] = message;
    sent.push(message);
    if (deps.recentRecipients) {
      remembered.push({ number, tenant, signId: command.signId, at: submittedAt.getTime() });
    }
  }
  // A number SMN answered with a failure reached no phone: its daily send is given back.
  await screened.release(failedAtSmn);
  const unrecorded = await recordSent(deps, sent);
  await deps.recentRecipients
    ?.remember(remembered)
    .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not remember recipients for replies'));
  if (held.size > 0) {
    deps.onHeldBack?.({
      tenant: tenantOf(caller),
      at: submittedAt,
      smsTemplateId: command.smsTemplateId,
      campaignId: command.campaignId,
      count: held.size,
    });
  }
  const failedCount = results.length - sent.length;
  deps.logger.info(
    {
      smnRequestId: toSend.length > 0 ? response.request_id : undefined,
      numbers: endpoints.length,
      sentCount: sent.length,
      failedCount,
      suppressedCount: held.size,
    },
    toSend.length > 0 ? 'promotion SMS batch published' : 'promotion SMS batch held back entirely; SMN not called',
  );
  if (stats) {
    if (toSend.length > 0) stats.smnRequestId = response.request_id;
    stats.sentCount = sent.length;
    stats.failedCount = failedCount;
    stats.failedCodes = failedCodes;
  }
  return {
    requestId: response.request_id,
    results,
    sentCount: sent.length,
    failedCount,
    suppressedCount: held.size,
    duplicatesRemoved: command.endpoints.length - endpoints.length,
    replayed: false,
    ...(unrecorded > 0 && { unrecordedCount: unrecorded }),
  };
}
