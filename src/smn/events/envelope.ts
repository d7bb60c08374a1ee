import { createHash } from 'node:crypto';
import { isRecord } from '../../util/unknown-values.js';

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

/** C0 and C1 control characters, DEL included (`\n` among them: the string to sign's separator). */
const CONTROL_CHARACTER = /\p{Cc}/u;

/**
 * The envelope, or why it is not one: `malformed` (not the documented shape) or `unknown_type`.
 * A signed field other than `message` holding a control character is malformed: the string to sign
 * joins `key\n` and `value\n`, so a newline in a value could move signed text from one field to
 * another (a dropped `subject` appended to `message_id`) and keep the signature valid.
 */
export function parseEnvelope(body: unknown): Envelope | 'malformed' | 'unknown_type' {
  if (!isRecord(body)) return 'malformed';
  for (const field of REQUIRED) if (typeof body[field] !== 'string' || body[field] === '') return 'malformed';
  for (const field of OPTIONAL) if (body[field] !== undefined && typeof body[field] !== 'string') return 'malformed';
  if (CONTROL_CHARACTER.test(body.type as string)) return 'malformed';
  if (!ENVELOPE_TYPES.includes(body.type as EnvelopeType)) return 'unknown_type';
  const envelope = body as unknown as Envelope;
  const fields = body as Record<string, string | undefined>;
  for (const key of signedKeys(envelope)) {
    if (key !== 'message' && CONTROL_CHARACTER.test(fields[key] ?? '')) return 'malformed';
  }
  return envelope;
}

/** The keys SMN signs, in order: Notifications sign `subject` only when present and non-empty. */
function signedKeys(envelope: Envelope): readonly string[] {
  return envelope.type === 'Notification'
    ? ['message', 'message_id', ...(envelope.subject ? ['subject'] : []), 'timestamp', 'topic_urn', 'type']
    : ['message', 'message_id', 'subscribe_url', 'timestamp', 'topic_urn', 'type'];
}

/**
 * What SMN signs: for each signed key, in order, `key\n` then `value\n`, values exactly as received.
 * Notifications sign `subject` only when present and non-empty; the other types sign `subscribe_url`.
 */
export function stringToSign(envelope: Envelope): string {
  const fields = envelope as unknown as Record<string, string | undefined>;
  return signedKeys(envelope)
    .map((key) => `${key}\n${fields[key] ?? ''}\n`)
    .join('');
}

/**
 * The envelope's de-duplication key: SHA-256 (hex) of its whole string to sign. Everything SMN signed
 * is in it, so a replay is the same key whatever its unsigned fields or its `message_id` claim.
 */
export function envelopeDigest(signed: string): string {
  return createHash('sha256').update(signed, 'utf8').digest('hex');
}
