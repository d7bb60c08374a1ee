/** What a webhook endpoint may be told of (the GraphQL enum WebhookEvent). */
export const WEBHOOK_EVENTS = [
  'MESSAGE_DELIVERY_CHANGED',
  'REPLY_RECEIVED',
  'OPT_OUT_CHANGED',
  'CAMPAIGN_STATUS_CHANGED',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];

/**
 * One thing that happened to one tenant. `subject` is what the event is about (a message id, a
 * campaign id, a number): an endpoint receives the events of one subject in the order they happened.
 */
export interface WebhookEvent {
  readonly tenant: string;
  readonly type: WebhookEventType;
  readonly subject: string;
  /** The body's `data`: ids and statuses; a number only where the event is about a number. */
  readonly data: Readonly<Record<string, unknown>>;
  readonly at: Date;
}

/** Where events go once their use case has kept the change; must not throw. */
export type WebhookEmit = (event: WebhookEvent) => void;

/** The JSON body an endpoint receives (Standard Webhooks' recommended shape: type, timestamp, data). */
export function webhookBody(event: WebhookEvent): string {
  return JSON.stringify({ type: event.type, timestamp: event.at.toISOString(), data: event.data });
}
