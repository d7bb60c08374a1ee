import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import got from 'got';

/** Huawei's SMN hosts; a message may only make us fetch from one of these. */
export const DEFAULT_CERT_HOSTS = ['smn.*.myhuaweicloud.com', 'smn.*.myhuaweicloud.cn', 'smn.*.myhuaweicloud.eu'];
const CERT_PATH = /^\/smn\/SMN_[A-Za-z0-9-]+_[0-9a-fA-F]+\.pem$/;
const MAX_CERT_BYTES = 16_384;
const MAX_CACHED = 32;

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
 * Where signing keys come from: the pinned certificate when one is configured (then nothing is ever
 * fetched), otherwise the message's `signing_cert_url`, only over https from an allowed SMN host and a
 * certificate-shaped path, fetched once and cached. A message can never make us fetch anything else.
 */
export function createCertificateSource(options: {
  readonly pinned?: string | undefined;
  readonly hosts: readonly string[];
}): CertificateSource {
  if (options.pinned !== undefined) {
    const key = keyFromPem(options.pinned);
    return { keyFor: () => Promise.resolve(key) };
  }
  const cache = new Map<string, Promise<KeyObject>>();
  return {
    keyFor(signingCertUrl) {
      if (!isSmnUrl(signingCertUrl, options.hosts) || !CERT_PATH.test(new URL(signingCertUrl).pathname)) {
        return Promise.reject(new UntrustedCertificate('signing_cert_url is not an SMN certificate URL'));
      }
      let key = cache.get(signingCertUrl);
      if (!key) {
        key = got(signingCertUrl, { timeout: { request: 3_000 }, retry: { limit: 1 }, followRedirect: false })
          .text()
          .then((pem) => {
            if (pem.length > MAX_CERT_BYTES) throw new UntrustedCertificate('the certificate is too large');
            return keyFromPem(pem);
          });
        key.catch(() => cache.delete(signingCertUrl));
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
        cache.set(signingCertUrl, key);
      }
      return key;
    },
  };
}
