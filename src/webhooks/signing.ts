import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { WebhookEndpointRecord } from './endpoint-store.js';

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** A message id, the `webhook-id` header: the same on every attempt of one delivery. */
export function newMessageId(): string {
  return `msg_${randomBytes(16).toString('hex')}`;
}

/** The secrets that sign now: the current one, and the previous one until its grace period ends. */
export function signingSecrets(endpoint: WebhookEndpointRecord, now: Date): string[] {
  const previous = endpoint.previousSecret;
  return previous && previous.until.getTime() > now.getTime() ? [endpoint.secret, previous.secret] : [endpoint.secret];
}

/**
 * The three Standard Webhooks headers, signed with the `standardwebhooks` library: one `v1,` signature per
 * secret, space-separated (receivers accept the message when any matches).
 */
export function signedHeaders(secrets: readonly string[], id: string, at: Date, body: string): Record<string, string> {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(id, at, body));
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
