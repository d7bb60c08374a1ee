/**
 * Verifying the service's webhooks on the receiving side, as Standard Webhooks defines them
 * (https://www.standardwebhooks.com): headers `webhook-id`, `webhook-timestamp` (Unix seconds) and
 * `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, several separated by spaces
 * while a secret is rotated), the secret `whsec_<base64>`. Web Crypto only, so it runs in Node 20,
 * browsers and edge runtimes alike; no dependency.
 */

/** Standard Webhooks' tolerance: a timestamp more than 5 minutes from now, either way, is refused. */
const DEFAULT_TOLERANCE_SECONDS = 5 * 60;
const SECRET_PREFIX = 'whsec_';
/** Longer header values are not looked at (a real one holds a few signatures of 44 characters). */
const MAX_SIGNATURE_HEADER = 4096;

/** Request headers as `fetch` gives them (`Headers`) or as Node's `IncomingMessage.headers` holds them. */
export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface WebhookVerifyOptions {
  /** Seconds a timestamp may be from now, either way (default 300). */
  readonly toleranceSeconds?: number;
  /** The current time in milliseconds (default `Date.now()`). */
  readonly now?: () => number;
}

export type WebhookVerification =
  | { readonly ok: true; readonly webhookId: string; readonly timestamp: Date }
  | {
      readonly ok: false;
      readonly reason:
        | 'MISSING_HEADERS'
        | 'INVALID_TIMESTAMP'
        | 'TIMESTAMP_TOO_OLD'
        | 'TIMESTAMP_TOO_NEW'
        | 'INVALID_SECRET'
        | 'NO_MATCHING_SIGNATURE';
    };

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const key = Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return typeof value === 'string' ? value : value?.[0];
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> | undefined {
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return undefined;
  }
}

function bytesOf(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === 'string') return new TextEncoder().encode(body);
  return body instanceof Uint8Array ? body : new Uint8Array(body);
}

/**
 * Whether a webhook request is the service's: its signature over `id.timestamp.body` made with
 * `secret`, its timestamp within 5 minutes. Pass the body exactly as received (the raw text or bytes,
 * not a re-serialized JSON). Each `v1` signature is checked with `crypto.subtle.verify`, which compares
 * in constant time. Resolves `ok: false` with the reason; never rejects for a request, only for a
 * platform without Web Crypto. Deduplicate on `webhookId` to refuse a replay within the tolerance.
 */
export async function verifyWebhook(
  secret: string,
  headers: WebhookHeaders,
  body: string | Uint8Array | ArrayBuffer,
  options: WebhookVerifyOptions = {},
): Promise<WebhookVerification> {
  const id = header(headers, 'webhook-id');
  const stamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !stamp || !signatures) return { ok: false, reason: 'MISSING_HEADERS' };
  if (!/^\d{1,12}$/.test(stamp)) return { ok: false, reason: 'INVALID_TIMESTAMP' };
  const seconds = Number(stamp);
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (seconds < now - tolerance) return { ok: false, reason: 'TIMESTAMP_TOO_OLD' };
  if (seconds > now + tolerance) return { ok: false, reason: 'TIMESTAMP_TOO_NEW' };

  const keyBytes = base64Bytes(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  if (!keyBytes || keyBytes.length === 0) return { ok: false, reason: 'INVALID_SECRET' };
  const key = await globalThis.crypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'verify',
  ]);
  const prefix = new TextEncoder().encode(`${id}.${stamp}.`);
  const content = bytesOf(body);
  const signed = new Uint8Array(prefix.length + content.length);
  signed.set(prefix);
  signed.set(content, prefix.length);

  if (signatures.length <= MAX_SIGNATURE_HEADER) {
    for (const entry of signatures.split(' ')) {
      const [version, signature] = entry.split(',', 2);
      if (version !== 'v1' || !signature) continue;
      const bytes = base64Bytes(signature);
      if (bytes && (await globalThis.crypto.subtle.verify('HMAC', key, bytes, signed))) {
        return { ok: true, webhookId: id, timestamp: new Date(seconds * 1000) };
      }
    }
  }
  return { ok: false, reason: 'NO_MATCHING_SIGNATURE' };
}
