import { sameSend, type DeliveryState, type SentMessage } from '../send/send-log.js';
import type { OptOutSource } from '../suppression/opt-out-store.js';

/** What the history keeps of an opt-out change: ADDED or REMOVED, as the ledger and the API say it. */
export type OptOutLedgerAction = 'ADDED' | 'REMOVED';

/**
 * One thing that happened, as the outbox carries it to the history writer. Every event names its tenant
 * (the AUTH_TENANT_CLAIM value, '' without one), so the history stays tenant-scoped.
 */
export type HistoryEvent =
  /** Messages SMN accepted in one call (one send log record()). */
  | { readonly kind: 'sent'; readonly messages: readonly SentMessage[] }
  /** A message whose delivery changed (the first final status). Carries the whole message, so it may arrive first. */
  | { readonly kind: 'report'; readonly message: SentMessage }
  /** Numbers (canonical form) whose opt-out state one call changed. */
  | {
      readonly kind: 'opt-out';
      readonly tenant: string;
      readonly endpoints: readonly string[];
      readonly action: OptOutLedgerAction;
      readonly source: OptOutSource;
      readonly reason?: string | undefined;
      /** The caller's `sub`. */
      readonly by?: string | undefined;
      readonly at: Date;
    }
  /** Numbers one send held back (opted out or at their daily limit): counted, never listed. */
  | {
      readonly kind: 'suppressed';
      readonly tenant: string;
      readonly at: Date;
      readonly smsTemplateId: string;
      readonly campaignId?: string | undefined;
      readonly count: number;
    };

/** The tenant stored data is kept under, for a message: its sender's tenant claim, or ''. */
export const tenantOfMessage = (message: Pick<SentMessage, 'sentBy'>): string => message.sentBy?.tenant ?? '';

/**
 * The wire form of a `sent` event: the send's shared fields once, then `[messageId, endpoint]` per message
 * (a message whose send fields differ from the first is rare: it is carried as its own event).
 */
interface SentWire {
  k: 's';
  q: string; // request id
  t: string; // template id
  g?: string | undefined; // signature id
  x?: string | undefined; // extend code
  c?: string | undefined; // campaign id
  a: string; // submitted at, ISO 8601
  u?: { sub: string; tenant?: string } | undefined;
  m: Array<[string, string]>;
}

interface DeliveryWire {
  s: DeliveryState['status'];
  cc?: string | undefined;
  ra?: string | undefined;
  da?: string | undefined;
}

type Wire =
  | SentWire
  | (Omit<SentWire, 'k' | 'm'> & { k: 'r'; i: string; e: string; d: DeliveryWire })
  | {
      k: 'o';
      n: string; // tenant
      e: string[];
      p: OptOutLedgerAction;
      o: OptOutSource;
      r?: string | undefined;
      b?: string | undefined;
      a: string;
    }
  | { k: 'h'; n: string; a: string; t: string; c?: string | undefined; z: number };

function shared(message: SentMessage) {
  return {
    q: message.requestId,
    t: message.smsTemplateId,
    g: message.signId,
    x: message.extendCode,
    c: message.campaignId,
    a: message.submittedAt.toISOString(),
    u: message.sentBy,
  };
}

function sentWire(messages: readonly SentMessage[]): SentWire {
  return { k: 's', ...shared(messages[0]!), m: messages.map((message) => [message.messageId, message.endpoint]) };
}

/** The event as one outbox entry's text (JSON, compact). */
export function encodeEvent(event: HistoryEvent): string {
  switch (event.kind) {
    case 'sent':
      return JSON.stringify(sentWire(event.messages));
    case 'report': {
      const { message } = event;
      const delivery = message.delivery ?? { status: 'SUBMITTED' as const };
      const wire: Wire = {
        k: 'r',
        ...shared(message),
        i: message.messageId,
        e: message.endpoint,
        d: {
          s: delivery.status,
          cc: delivery.carrierCode,
          ra: delivery.reportedAt?.toISOString(),
          da: delivery.deliveredAt?.toISOString(),
        },
      };
      return JSON.stringify(wire);
    }
    case 'opt-out':
      return JSON.stringify({
        k: 'o',
        n: event.tenant,
        e: [...event.endpoints],
        p: event.action,
        o: event.source,
        r: event.reason,
        b: event.by,
        a: event.at.toISOString(),
      } satisfies Wire);
    case 'suppressed':
      return JSON.stringify({
        k: 'h',
        n: event.tenant,
        a: event.at.toISOString(),
        t: event.smsTemplateId,
        c: event.campaignId,
        z: event.count,
      } satisfies Wire);
  }
}

function messageOf(wire: Omit<SentWire, 'k' | 'm'>, messageId: string, endpoint: string): SentMessage {
  return {
    messageId,
    endpoint,
    requestId: wire.q,
    smsTemplateId: wire.t,
    signId: wire.g,
    extendCode: wire.x,
    campaignId: wire.c,
    submittedAt: new Date(wire.a),
    sentBy: wire.u,
  };
}

/** Reads an outbox entry's text back; throws on text this version did not write. */
export function decodeEvent(text: string): HistoryEvent {
  const wire = JSON.parse(text) as Wire;
  switch (wire.k) {
    case 's':
      return { kind: 'sent', messages: wire.m.map(([messageId, endpoint]) => messageOf(wire, messageId, endpoint)) };
    case 'r':
      return {
        kind: 'report',
        message: {
          ...messageOf(wire, wire.i, wire.e),
          delivery: {
            status: wire.d.s,
            carrierCode: wire.d.cc,
            reportedAt: wire.d.ra === undefined ? undefined : new Date(wire.d.ra),
            deliveredAt: wire.d.da === undefined ? undefined : new Date(wire.d.da),
          },
        },
      };
    case 'o':
      return {
        kind: 'opt-out',
        tenant: wire.n,
        endpoints: wire.e,
        action: wire.p,
        source: wire.o,
        reason: wire.r,
        by: wire.b,
        at: new Date(wire.a),
      };
    case 'h':
      return {
        kind: 'suppressed',
        tenant: wire.n,
        at: new Date(wire.a),
        smsTemplateId: wire.t,
        campaignId: wire.c,
        count: wire.z,
      };
    default:
      throw new Error(`not a history event this version writes: kind ${String((wire as { k?: unknown }).k)}`);
  }
}

/**
 * The `sent` events of one record(): normally one, whose messages share their send's fields; a message
 * whose fields differ from its request's first becomes an event of its own.
 */
export function sentEvents(messages: readonly SentMessage[]): HistoryEvent[] {
  const groups: SentMessage[][] = [];
  const byRequest = new Map<string, SentMessage[]>();
  for (const message of messages) {
    const group = byRequest.get(message.requestId);
    const first = group?.[0];
    if (group && first && sameSend(first, message)) {
      group.push(message);
    } else {
      const fresh = [message];
      groups.push(fresh);
      if (!group) byRequest.set(message.requestId, fresh);
    }
  }
  return groups.map((group) => ({ kind: 'sent', messages: group }));
}
