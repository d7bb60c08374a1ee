import { isRecord } from '../util/unknown-values.js';

/** The SMN topic message types an HTTP(S) subscriber receives. */
export const ENVELOPE_TYPES = [
  'Notification',
  'SubscriptionConfirmation',
  'UnsubscribeConfirmation',
  'HttpSubscriptionUserConfirm',
  'HttpSubscriptionUserUnsubscribe',
] as const;

export type EnvelopeType = (typeof ENVELOPE_TYPES)[number];

/** A signed SMN topic message, as posted to a subscribed endpoint. All values are strings. */
export interface Envelope {
  readonly type: EnvelopeType;
  readonly message_id: string;
  readonly topic_urn: string;
  readonly message: string;
  readonly subject?: string | undefined;
  readonly timestamp: string;
  readonly signature_version: string;
  readonly signature: string;
  readonly signing_cert_url: string;
  readonly subscribe_url?: string | undefined;
  readonly unsubscribe_url?: string | undefined;
}

const REQUIRED = [
  'type',
  'message_id',
  'topic_urn',
  'message',
  'timestamp',
  'signature_version',
  'signature',
  'signing_cert_url',
];
const OPTIONAL = ['subject', 'subscribe_url', 'unsubscribe_url'];

/** The envelope, or why it is not one: `malformed` (not the documented shape) or `unknown_type`. */
export function parseEnvelope(body: unknown): Envelope | 'malformed' | 'unknown_type' {
  if (!isRecord(body)) return 'malformed';
  for (const field of REQUIRED) if (typeof body[field] !== 'string' || body[field] === '') return 'malformed';
  for (const field of OPTIONAL) if (body[field] !== undefined && typeof body[field] !== 'string') return 'malformed';
  if (!ENVELOPE_TYPES.includes(body.type as EnvelopeType)) return 'unknown_type';
  return body as unknown as Envelope;
}

/**
 * What SMN signs: for each listed key, in order, `key\n` then `value\n`, values exactly as received.
 * Notifications sign `subject` only when present and non-empty; the other types sign `subscribe_url`.
 */
export function stringToSign(envelope: Envelope): string {
  const keys =
    envelope.type === 'Notification'
      ? ['message', 'message_id', ...(envelope.subject ? ['subject'] : []), 'timestamp', 'topic_urn', 'type']
      : ['message', 'message_id', 'subscribe_url', 'timestamp', 'topic_urn', 'type'];
  const fields = envelope as unknown as Record<string, string | undefined>;
  return keys.map((key) => `${key}\n${fields[key] ?? ''}\n`).join('');
}
