import { isPublicAddress, literalAddress } from './address-guard.js';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export interface UrlPolicy {
  /** Production: https only. */
  readonly httpsOnly: boolean;
  /** WEBHOOK_ALLOW_PRIVATE: private, loopback and link-local addresses allowed (tests, closed networks). */
  readonly allowPrivate: boolean;
}

/**
 * Why a URL cannot be a webhook endpoint, or undefined when it can. Names are checked again, after
 * resolution, on every delivery (address-guard.ts); this refuses what is wrong on its face.
 */
export function urlProblem(raw: string, policy: UrlPolicy): string | undefined {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return `must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not an absolute URL';
  }
  if (url.protocol !== 'https:' && (policy.httpsOnly || url.protocol !== 'http:')) {
    return policy.httpsOnly ? 'must be https' : 'must be http or https';
  }
  if (url.username !== '' || url.password !== '') return 'must not carry credentials';
  if (url.hash !== '') return 'must not have a fragment';
  const literal = literalAddress(url);
  if (!policy.allowPrivate) {
    if (literal !== undefined && !isPublicAddress(literal))
      return 'must not be a private, loopback or link-local address';
    if (url.hostname === 'localhost' || url.hostname.endsWith('.localhost')) return 'must not be localhost';
  }
  return undefined;
}
