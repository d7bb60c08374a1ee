import type { WebhookEventType } from './events.js';

/** A tenant's webhook endpoint as stored: its secrets sign every delivery, so they are kept. */
export interface WebhookEndpointRecord {
  readonly id: string;
  readonly tenant: string;
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly description?: string | undefined;
  readonly createdAt: Date;
  /** `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
  readonly secret: string;
  /** After a rotation the previous secret also signs until `until`, so receivers can switch over. */
  readonly previousSecret?: { readonly secret: string; readonly until: Date } | undefined;
}

export type WebhookDeliveryStatus = 'PENDING' | 'SUCCEEDED' | 'FAILED';

/** One try to deliver: the receiver's status and the start of its answer, or why there was none. */
export interface WebhookAttempt {
  readonly at: Date;
  readonly durationMs: number;
  readonly statusCode?: number | undefined;
  /** At most RESPONSE_KEPT_CHARS of what the receiver answered (at most 4 KiB are read). */
  readonly responseBody?: string | undefined;
  /** Why no answer counted: timeout, refused address, connection error (no secrets, no numbers). */
  readonly error?: string | undefined;
}

/** One event on its way to one endpoint; its id is the `webhook-id` every attempt carries. */
export interface WebhookDeliveryRecord {
  readonly id: string;
  readonly endpointId: string;
  readonly tenant: string;
  readonly type: WebhookEventType;
  readonly createdAt: Date;
  readonly status: WebhookDeliveryStatus;
  /** How many attempts were made (the list keeps the last MAX_ATTEMPTS_KEPT). */
  readonly attemptCount: number;
  readonly attempts: readonly WebhookAttempt[];
  readonly nextAttemptAt?: Date | undefined;
}

export const MAX_ATTEMPTS_KEPT = 10;
export const RESPONSE_KEPT_CHARS = 1024;
/** Deliveries kept per endpoint, newest first (older ones are forgotten). */
export const MAX_DELIVERIES_KEPT = 500;

export interface DeliveryPage {
  readonly deliveries: readonly WebhookDeliveryRecord[];
  readonly hasNextPage: boolean;
}

/**
 * Endpoints and their deliveries. Every read and write names the tenant: an id of another tenant's
 * endpoint reads as none.
 */
export interface WebhookStore {
  /** Keeps the endpoint unless its tenant already has `max`; answers whether it did. */
  create(endpoint: WebhookEndpointRecord, max: number): Promise<boolean>;
  list(tenant: string): Promise<WebhookEndpointRecord[]>;
  get(tenant: string, id: string): Promise<WebhookEndpointRecord | undefined>;
  /** Deletes the endpoint and its deliveries; false when it had none. */
  delete(tenant: string, id: string): Promise<boolean>;
  /** Replaces the endpoint (a rotation); false when it no longer exists. */
  update(endpoint: WebhookEndpointRecord): Promise<boolean>;
  putDelivery(delivery: WebhookDeliveryRecord): Promise<void>;
  getDelivery(tenant: string, endpointId: string, id: string): Promise<WebhookDeliveryRecord | undefined>;
  /** Newest first; `after` is the id of the last delivery of the previous page. */
  deliveries(tenant: string, endpointId: string, first: number, after?: string): Promise<DeliveryPage>;
}
