import { createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { stringToSign, type Envelope } from '../../src/smn/events/envelope.js';

/**
 * Signs envelopes as SMN would, with a new RSA key pair (its public key is what a gateway pins in
 * SMN_EVENTS_CERT) or with the private key of a given certificate (`publicKeyPem` is then its key).
 */
export function envelopeSigner(own?: KeyObject) {
  const privateKey = own ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  let next = 0;
  return {
    publicKeyPem,
    /** `envelope` with the signature SMN would give it (over its string to sign, values as they are). */
    sign(envelope: Envelope): Envelope {
      const signature = sign('sha256', Buffer.from(stringToSign(envelope), 'utf8'), privateKey).toString('base64');
      return { ...envelope, signature };
    },
    /** A signed Notification carrying `message` (an SMS event's JSON), with a subject as SMN sends one. */
    notification(message: string, fields: Partial<Envelope> = {}): Envelope {
      next += 1;
      return this.sign({
        type: 'Notification',
        message_id: `${Date.now().toString(16)}${String(next).padStart(8, '0')}`,
        topic_urn: 'urn:smn:cn-north-4:0123456789abcdef:sms-events',
        message,
        subject: 'SMS reply',
        timestamp: new Date().toISOString(),
        signature_version: 'v1',
        signature: '',
        signing_cert_url: 'https://smn.cn-north-4.myhuaweicloud.com/smn/SMN_cn-north-4_ab12.pem',
        ...fields,
      });
    },
  };
}

/** An SMS reply event as SMN puts it in a Notification's `message`. */
export function replyMessage(mobile: string, text: string, space?: number): string {
  return JSON.stringify(
    { event_type: 'sms_reply_event', nation_code: '86', mobile, reply: text, deliver_time: new Date().toISOString() },
    null,
    space,
  );
}

/**
 * The replay the `key\nvalue\n` string to sign allows: `subject` dropped and appended to `message_id`.
 * The string to sign, and so the signature, stay the same; the envelope id does not.
 */
export function subjectMovedIntoMessageId(captured: Record<string, unknown>): Record<string, unknown> {
  const { subject, ...rest } = captured;
  return { ...rest, message_id: `${String(captured.message_id)}\nsubject\n${String(subject)}` };
}
