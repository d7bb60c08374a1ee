import { createHash, createHmac } from 'node:crypto';

/**
 * Huawei Cloud SDK-HMAC-SHA256 (AK/SK) request signing, byte-identical to the canonical form built by
 * Huawei's SDK signer (`@huaweicloud/huaweicloud-sdk-core` auth/AKSKSigner). Pure: no I/O, no clock
 * unless the caller leaves the date out.
 */

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
export const SDK_DATE_HEADER = 'X-Sdk-Date';

export interface AkSkCredentials {
  readonly ak: string;
  readonly sk: string;
  /** Present for temporary credentials; sent and signed as X-Security-Token. */
  readonly securityToken?: string | undefined;
}

export interface SignableRequest {
  readonly method: string;
  /** Absolute URL as it goes on the wire (path already percent-encoded as a WHATWG URL keeps it). */
  readonly url: URL;
  /** Every header here is signed; `host` is added from the URL when absent. */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact body bytes sent. */
  readonly body: string | Uint8Array;
}

export interface SignedParts {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  readonly signedHeaders: string;
  readonly signature: string;
  readonly authorization: string;
}

const UNRESERVED = /[A-Za-z0-9\-_.~]/;

/** Percent-encodes every UTF-8 byte except `A-Z a-z 0-9 - _ . ~`, with uppercase hex. */
export function percentEncode(value: string): string {
  let out = '';
  for (const ch of value) {
    if (ch.length === 1 && UNRESERVED.test(ch)) {
      out += ch;
      continue;
    }
    for (const byte of Buffer.from(ch, 'utf8')) {
      out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    }
  }
  return out;
}

/** `YYYYMMDDTHHMMSSZ` in UTC. */
export function formatSdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function canonicalUri(pathname: string): string {
  const encoded = pathname.split('/').map(percentEncode).join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

export function canonicalQuery(params: URLSearchParams): string {
  const byName = new Map<string, string[]>();
  for (const [name, value] of params) {
    const values = byName.get(name) ?? [];
    values.push(value);
    byName.set(name, values);
  }
  return [...byName.keys()]
    .sort()
    .flatMap((name) => (byName.get(name) ?? []).sort().map((value) => `${percentEncode(name)}=${percentEncode(value)}`))
    .join('&');
}

function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Lowercased header map with `host` filled in from the URL when the caller did not set it. */
function headersToSign(request: SignableRequest): Map<string, string> {
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(request.headers)) headers.set(name.toLowerCase(), value.trim());
  if (!headers.has('host')) headers.set('host', request.url.host);
  return headers;
}

/** Computes every intermediate of the signature; `sign` is the usual entry point. */
export function signParts(request: SignableRequest, credentials: AkSkCredentials): SignedParts {
  const headers = headersToSign(request);
  const sdkDate = headers.get(SDK_DATE_HEADER.toLowerCase());
  if (!sdkDate) throw new Error(`${SDK_DATE_HEADER} header is required to sign a request`);
  const names = [...headers.keys()].sort();
  const canonicalHeaders = names.map((name) => `${name}:${headers.get(name) ?? ''}\n`).join('');
  const signedHeaders = names.join(';');
  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(request.url.pathname),
    canonicalQuery(request.url.searchParams),
    canonicalHeaders,
    signedHeaders,
    sha256Hex(request.body),
  ].join('\n');
  const stringToSign = [SIGNING_ALGORITHM, sdkDate, sha256Hex(canonicalRequest)].join('\n');
  const signature = createHmac('sha256', credentials.sk).update(stringToSign).digest('hex');
  const authorization = `${SIGNING_ALGORITHM} Access=${credentials.ak}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return { canonicalRequest, stringToSign, signedHeaders, signature, authorization };
}

/**
 * Returns the headers to send: the caller's, plus X-Sdk-Date (fresh unless given), X-Security-Token
 * for temporary credentials, and Authorization. Call once per attempt: a date over 15 minutes old is
 * refused by the server.
 */
export function sign(
  request: SignableRequest,
  credentials: AkSkCredentials,
  now: Date = new Date(),
): Record<string, string> {
  const headers: Record<string, string> = { ...request.headers };
  const hasDate = Object.keys(headers).some((name) => name.toLowerCase() === SDK_DATE_HEADER.toLowerCase());
  if (!hasDate) headers[SDK_DATE_HEADER] = formatSdkDate(now);
  if (credentials.securityToken) headers['X-Security-Token'] = credentials.securityToken;
  const { authorization } = signParts({ ...request, headers }, credentials);
  return { ...headers, Authorization: authorization };
}

export interface ParsedAuthorization {
  readonly access: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** Parses `SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...`; null when malformed. */
export function parseAuthorization(header: string | undefined): ParsedAuthorization | null {
  const match = /^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
    header?.trim() ?? '',
  );
  if (!match) return null;
  const [, access = '', signedHeaders = '', signature = ''] = match;
  return { access, signedHeaders: signedHeaders.split(';'), signature };
}
