import { bounded } from '../observability/bounded.js';

/** The scopes this service understands. */
export const SCOPES = {
  /** publishPromotionSms */
  send: 'sms:promotion:send',
  /** promotionSmsLimits, sentSms, SmsSent entities, optOuts, optOutHistory */
  read: 'sms:read',
  /** addOptOuts, removeOptOuts */
  optOutWrite: 'sms:optout:write',
  /** smsHistory, smsStats */
  historyRead: 'sms:history:read',
  /** eraseEndpointHistory */
  erase: 'sms:erase',
  /** createWebhookEndpoint, deleteWebhookEndpoint, rotateWebhookSecret, webhookEndpoints, webhookDeliveries */
  webhooksWrite: 'sms:webhooks:write',
} as const;

/** Who is calling, from a verified token (or the anonymous caller when auth is disabled). */
export interface Caller {
  readonly sub: string;
  readonly tenant?: string | undefined;
  readonly clientId?: string | undefined;
  readonly scopes: ReadonlySet<string>;
}

/** The caller every request is when authentication is disabled: may do everything. */
export const ANONYMOUS_CALLER: Caller = Object.freeze({
  sub: 'anonymous',
  scopes: new Set<string>(Object.values(SCOPES)),
});

/** What send-log entries keep about the caller (never the token). */
export function callerIdentity(caller: Caller): { sub: string; tenant?: string } {
  return { sub: caller.sub, ...(caller.tenant !== undefined && { tenant: caller.tenant }) };
}

/** What log lines say about the caller: its identity, each claim cut to a loggable length. */
export function loggedCaller(caller: Caller): { sub: string; tenant?: string } {
  return {
    sub: bounded(caller.sub),
    ...(caller.tenant !== undefined && { tenant: bounded(caller.tenant) }),
  };
}

/**
 * Whether stored data written under `owner` may be read by `caller`: only within one tenant (the
 * AUTH_TENANT_CLAIM). Tokens without the claim form one tenant of their own; with auth disabled
 * everything is that one tenant.
 */
export function sameTenant(owner: { readonly tenant?: string | undefined } | undefined, caller: Caller): boolean {
  return (owner?.tenant ?? null) === (caller.tenant ?? null);
}

/** The tenant stored data is kept under: the AUTH_TENANT_CLAIM value, or '' for callers without one. */
export function tenantOf(caller: Caller): string {
  return caller.tenant ?? '';
}

/** The key quotas are counted under: one per tenant and subject. */
export function callerKey(caller: Caller): string {
  // JSON, so no tenant and subject can be spliced into another pair's key.
  return JSON.stringify([caller.tenant ?? null, caller.sub]);
}
