import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import got from 'got';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../../util/clock.js';

/** Huawei's SMN hosts; a message may only make us fetch from one of these. */
export const DEFAULT_CERT_HOSTS = ['smn.*.myhuaweicloud.com', 'smn.*.myhuaweicloud.cn', 'smn.*.myhuaweicloud.eu'];
const CERT_PATH = /^\/smn\/SMN_[A-Za-z0-9-]+_[0-9a-fA-F]+\.pem$/;
const MAX_CERT_BYTES = 16_384;
const FETCH_TIMEOUT_MS = 3_000;
const MAX_CACHED = 32;
/** A certificate that could not be fetched is not asked for again for this long. */
const FAILURE_CACHED_MS = 30_000;
const MAX_FAILURES_CACHED = 1_000;

/** A host pattern (`smn.*.myhuaweicloud.com`: `*` is one DNS label) as a matcher. */
function hostMatcher(pattern: string): RegExp {
  const escaped = pattern
    .toLowerCase()
    .split('.')
    .map((label) => (label === '*' ? '[a-z0-9-]+' : label.replace(/[^a-z0-9-]/g, (char) => `\\${char}`)))
    .join('\\.');
  return new RegExp(`^${escaped}$`);
}

/** Whether a URL given by a message may be followed: https, an allowed SMN host, no credentials. */
export function isSmnUrl(raw: string, hosts: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' || url.username || url.password || (url.port && url.port !== '443')) return false;
  return hosts.some((pattern) => hostMatcher(pattern).test(url.hostname));
}

/**
 * Whether a message's `signing_cert_url` may be fetched: an SMN URL (above) with a certificate-shaped
 * path and nothing after it (a query or fragment would only spell the same certificate another way).
 */
export function isCertificateUrl(raw: string, hosts: readonly string[]): boolean {
  if (!isSmnUrl(raw, hosts)) return false;
  return CERT_PATH.test(new URL(raw).pathname) && !/[?#]/.test(raw);
}

/** The public key in a PEM certificate (or a bare public key). */
export function keyFromPem(pem: string): KeyObject {
  return pem.includes('BEGIN CERTIFICATE') ? new X509Certificate(pem).publicKey : createPublicKey(pem);
}

export interface CertificateSource {
  /** The key that verifies a message claiming `signingCertUrl`; throws UntrustedCertificate. */
  keyFor(signingCertUrl: string): Promise<KeyObject>;
}

export class UntrustedCertificate extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'UntrustedCertificate';
  }
}

/**
 * GETs a certificate, reading no more than MAX_CERT_BYTES: a larger announced length is refused before
 * the body is read, and a body that grows past the cap is abandoned (the connection closed) at the chunk
 * that crosses it, so no more than the cap and one chunk is ever held. Not retried: a failure is cached.
 */
async function fetchKey(url: string, signal: AbortSignal): Promise<KeyObject> {
  let tooLarge = false;
  const call = got(url, {
    timeout: { request: FETCH_TIMEOUT_MS },
    retry: { limit: 0 },
    followRedirect: false,
    decompress: false,
    signal,
  });
  void call.on('downloadProgress', ({ transferred, total }) => {
    if (!tooLarge && (transferred > MAX_CERT_BYTES || (total ?? 0) > MAX_CERT_BYTES)) {
      tooLarge = true;
      call.cancel();
    }
  });
  let pem: string;
  try {
    pem = (await call).body;
  } catch {
    throw new UntrustedCertificate(tooLarge ? 'the certificate is too large' : 'the certificate could not be fetched');
  }
  try {
    return keyFromPem(pem);
  } catch {
    throw new UntrustedCertificate('the certificate could not be read');
  }
}

/**
 * Where signing keys come from: the pinned certificate when one is configured (then nothing is ever
 * fetched), otherwise the message's `signing_cert_url`, only over https from an allowed SMN host and a
 * certificate-shaped path. A message can never make us fetch anything else. Fetched keys are cached
 * (lru-cache's fetch: one request for any number of concurrent misses); a failed fetch is remembered for
 * FAILURE_CACHED_MS in a cache of its own, so a flood of envelopes naming a bad or slow URL costs one
 * request, and cannot push a fetched key out.
 */
export function createCertificateSource(options: {
  readonly pinned?: string | undefined;
  readonly hosts: readonly string[];
  /** Which URLs may be fetched; by default https on an allowed host with a certificate-shaped path (tests widen it). */
  readonly allowed?: (url: string) => boolean;
  /** The clock failures expire on (tests move it). */
  readonly clock?: Clock;
}): CertificateSource {
  if (options.pinned !== undefined) {
    const key = keyFromPem(options.pinned);
    return { keyFor: () => Promise.resolve(key) };
  }
  const allowed = options.allowed ?? ((url: string) => isCertificateUrl(url, options.hosts));
  const { clock } = options;
  // The reason only (a string), not the error and its stack: up to MAX_FAILURES_CACHED of them.
  const failures = new LRUCache<string, string>({
    max: MAX_FAILURES_CACHED,
    ttl: FAILURE_CACHED_MS,
    ...(clock && { perf: { now: () => clock.now().getTime() }, ttlResolution: 0 }),
  });
  const keys = new LRUCache<string, KeyObject>({
    max: MAX_CACHED,
    fetchMethod: async (url, _stale, { signal }) => {
      try {
        return await fetchKey(url, signal);
      } catch (error) {
        // A fetch cut short because its entry was evicted says nothing about the URL: not remembered.
        if (!signal.aborted && error instanceof UntrustedCertificate) failures.set(url, error.message);
        throw error;
      }
    },
  });
  return {
    async keyFor(signingCertUrl) {
      if (!allowed(signingCertUrl)) throw new UntrustedCertificate('signing_cert_url is not an SMN certificate URL');
      // Cached by the URL as parsed: another spelling (host case, :443, dot segments) is the same entry.
      const url = new URL(signingCertUrl).href;
      const failure = failures.get(url);
      if (failure !== undefined) throw new UntrustedCertificate(failure);
      const key = await keys.fetch(url);
      if (!key) throw new UntrustedCertificate('the certificate could not be fetched');
      return key;
    },
  };
}
