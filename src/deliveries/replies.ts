import type { Logger } from 'pino';
import { ANONYMOUS_CALLER, type Caller } from '../auth/caller.js';
import { bounded } from '../observability/bounded.js';
import { maskPhoneNumber } from '../observability/phone-mask.js';
import { canonicalNumber } from '../suppression/canonical-number.js';
import type { OptOuts } from '../suppression/opt-outs.js';
import { REPLY_WINDOW_MS, type RecentRecipient, type RecentRecipientsStore } from '../send/recent-recipients.js';
import { systemClock, type Clock } from '../util/clock.js';

/** A recipient's reply, from a callback: the number may be masked (`134****8888`). */
export interface SmsReply {
  /** `nation_code`, e.g. 86. */
  readonly countryCode: string;
  readonly mobile: string;
  readonly text: string;
  readonly signId?: string | undefined;
}

export type ReplyOutcome = 'opted_out' | 'not_a_keyword' | 'unmatched';

/** A reply matched to one number and the tenants that sent to it lately (for webhooks). */
export interface MatchedReply {
  readonly tenant: string;
  /** Canonical E.164. */
  readonly number: string;
  readonly text: string;
  readonly signId?: string | undefined;
  /** Whether it was an opt-out keyword. */
  readonly optOut: boolean;
}

export const DEFAULT_OPT_OUT_KEYWORDS = ['TD', 'T', 'R', 'N', 'STOP', 'UNSUBSCRIBE', '退订', '拒收'];

const fold = (text: string) => text.trim().toLowerCase();

/** The national part of a canonical number, for comparing with what a reply shows. */
function nationalPart(number: string, countryCode: string): string | undefined {
  const prefix = `+${countryCode}`;
  return number.startsWith(prefix) ? number.slice(prefix.length) : undefined;
}

/** Whether `national` could be the number behind `shown` (digits where visible, `*` for hidden ones). */
function fits(national: string, shown: string): boolean {
  if (national.length !== shown.length) return false;
  for (let index = 0; index < shown.length; index += 1) {
    if (shown[index] !== '*' && shown[index] !== national[index]) return false;
  }
  return true;
}

/**
 * An opt-out keyword in a reply puts the number on the opt-out list (source SMS_REPLY) of every tenant
 * that sent to it in the last 72 hours (a plain number nobody sent to lately goes on the list of callers
 * without a tenant). A masked number is matched against those sends (same country code, same visible
 * digits, same sign id when given): exactly one candidate number is opted out; none or several are
 * counted and logged (masked) as unmatched, never guessed.
 */
export function createReplyHandler(deps: {
  readonly recent: RecentRecipientsStore;
  readonly optOuts: OptOuts;
  readonly keywords: readonly string[];
  readonly logger: Logger;
  readonly clock?: Clock;
  /**
   * Told of every reply matched to one number, keyword or not, once per tenant that sent to it
   * (webhooks); must not throw. Without it, replies that are no keyword are not matched at all.
   */
  readonly onReply?: ((reply: MatchedReply) => void) | undefined;
}) {
  const keywords = new Set(deps.keywords.map(fold));
  const clock = deps.clock ?? systemClock;
  const tell = (number: string, tenants: Iterable<string>, reply: SmsReply, optOut: boolean) => {
    for (const tenant of tenants) {
      deps.onReply?.({ tenant, number, text: reply.text, signId: reply.signId, optOut });
    }
  };
  return async (reply: SmsReply): Promise<ReplyOutcome> => {
    const keyword = keywords.has(fold(reply.text));
    if (!keyword && !deps.onReply) return 'not_a_keyword';
    const notApplied = (outcome: ReplyOutcome): ReplyOutcome => (keyword ? outcome : 'not_a_keyword');
    // The mobile may come as national digits, with the country code, or with "+": try each reading.
    const raw = reply.mobile.trim().replace(/^\+/, '');
    const forms = [...new Set([raw, raw.startsWith(reply.countryCode) ? raw.slice(reply.countryCode.length) : raw])];
    const lastFour = raw.slice(-4);
    const logged = { countryCode: reply.countryCode, mobile: maskPhoneNumber(raw.replace(/\*/g, '0')) };
    if (!/^\d{4}$/.test(lastFour)) {
      if (keyword) deps.logger.warn(logged, 'opt-out reply with a number too masked to match; not applied');
      return notApplied('unmatched');
    }
    const since = clock.now().getTime() - REPLY_WINDOW_MS;
    const candidates = (await deps.recent.near(reply.countryCode, lastFour, since)).filter((sent: RecentRecipient) => {
      const theirs = nationalPart(sent.number, reply.countryCode);
      if (theirs === undefined || !forms.some((form) => fits(theirs, form))) return false;
      return reply.signId === undefined || sent.signId === undefined || sent.signId === reply.signId;
    });
    const numbers = new Set(candidates.map((sent) => sent.number));
    const reason = bounded(`replied "${reply.text.trim()}"`, 180);
    const optOut = async (number: string, tenants: Iterable<string>) => {
      for (const tenant of tenants) {
        const caller: Caller = tenant === '' ? ANONYMOUS_CALLER : { sub: 'smn-reply', tenant, scopes: new Set() };
        await deps.optOuts.add(caller, [number], reason, deps.logger, 'SMS_REPLY');
      }
    };
    const unmasked =
      numbers.size === 0 && !raw.includes('*') && /^\d+$/.test(raw)
        ? canonicalNumber(`+${reply.countryCode}${forms[forms.length - 1]!}`)
        : undefined;
    if (unmasked !== undefined && !keyword) return 'not_a_keyword';
    if (unmasked !== undefined) {
      // The number is known, only no send to it is remembered (older than 72 h, or a restart in memory
      // mode): it still said stop. It goes on the list of callers without a tenant (with auth disabled,
      // the one list); with tenants, the log says that no tenant could be told.
      deps.logger.warn(logged, 'opt-out reply from a number no tenant sent to lately; opted out without a tenant');
      await optOut(unmasked, ['']);
      tell(unmasked, [''], reply, true);
      return 'opted_out';
    }
    if (numbers.size !== 1) {
      if (!keyword) return 'not_a_keyword';
      deps.logger.warn(
        { ...logged, candidates: numbers.size },
        'opt-out reply that matches no single recent recipient; not applied',
      );
      return 'unmatched';
    }
    const [number] = [...numbers] as [string];
    const tenants = new Set(candidates.map((sent) => sent.tenant));
    if (keyword) await optOut(number, tenants);
    tell(number, tenants, reply, keyword);
    return keyword ? 'opted_out' : 'not_a_keyword';
  };
}

export type ReplyHandler = ReturnType<typeof createReplyHandler>;
