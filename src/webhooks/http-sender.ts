import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import {
  guardedLookup,
  isPublicAddress,
  literalAddress,
  RefusedAddressError,
  systemResolve,
  type Resolve,
} from './address-guard.js';

/** Receivers answer within this, body included (the 5 s). */
export const WEBHOOK_TIMEOUT_MS = 5_000;
/** At most this much of an answer is read; the connection is closed after it. */
export const MAX_RESPONSE_BYTES = 4_096;

export interface SentWebhook {
  readonly statusCode?: number | undefined;
  readonly body?: string | undefined;
  readonly error?: string | undefined;
  readonly durationMs: number;
}

export type WebhookSender = (url: string, headers: Record<string, string>, body: string) => Promise<SentWebhook>;

export interface SenderOptions {
  readonly allowPrivate: boolean;
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
  /** DNS (tests answer private addresses for public-looking names). */
  readonly resolve?: Resolve;
  readonly userAgent?: string;
}

/** Reads at most `max` bytes of the answer, then stops reading and closes. */
function readCapped(response: IncomingMessage, max: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      const room = max - size;
      chunks.push(chunk.subarray(0, Math.max(0, room)));
      size += Math.min(chunk.length, Math.max(0, room));
      if (size >= max) {
        response.destroy();
        resolve(Buffer.concat(chunks).toString('utf8'));
      }
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
    response.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/**
 * POSTs one signed delivery. Never an SSRF tool: the host is resolved once and the socket connects to
 * the checked address (no private, loopback or link-local address unless allowed), redirects are not
 * followed (a 3xx is a failed attempt), the whole exchange is cut after the timeout, at most 4 KiB of
 * the answer is read. Never throws: the outcome says what happened.
 */
export function createWebhookSender(options: SenderOptions): WebhookSender {
  const timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const lookup = guardedLookup(options.allowPrivate, options.resolve ?? systemResolve);
  return async (target, headers, body) => {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const url = new URL(target);
    const literal = literalAddress(url);
    if (literal !== undefined && !options.allowPrivate && !isPublicAddress(literal)) {
      return { error: new RefusedAddressError(literal).message, durationMs: elapsed() };
    }
    const signal = AbortSignal.timeout(timeoutMs);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    try {
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        const outgoing = request(url, {
          method: 'POST',
          agent: false,
          lookup: lookup as never,
          signal,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': options.userAgent ?? 'smn-gateway-webhooks',
            ...headers,
          },
        });
        outgoing.on('response', resolve);
        outgoing.on('error', reject);
        outgoing.end(body);
      });
      const text = await readCapped(response, maxBytes);
      if (signal.aborted) throw signal.reason;
      return { statusCode: response.statusCode, body: text, durationMs: elapsed() };
    } catch (error) {
      const timedOut = signal.aborted;
      const cause = timedOut
        ? `no complete answer within ${timeoutMs} ms`
        : error instanceof RefusedAddressError
          ? error.message
          : `${(error as { code?: string }).code ?? 'ERROR'}: ${error instanceof Error ? error.message : String(error)}`;
      return { error: cause.slice(0, 300), durationMs: elapsed() };
    }
  };
}
