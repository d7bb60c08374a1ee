import type { Attributes } from '@opentelemetry/api';

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'https:': 443, 'http:': 80 };

/**
 * A URL fit for a span: query values and any user info replaced by `REDACTED` (OpenTelemetry's
 * convention for url.full), so no signature, credential or caller-typed filter ends up in a trace.
 * Query names stay: they say what was asked, never with what.
 */
export function redactedUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.username !== '' || copy.password !== '') {
    copy.username = 'REDACTED';
    copy.password = copy.password === '' ? '' : 'REDACTED';
  }
  const names = [...copy.searchParams.keys()];
  copy.search = '';
  for (const name of names) copy.searchParams.append(name, 'REDACTED');
  copy.hash = '';
  return copy.href;
}

/** OpenTelemetry's HTTP client span attributes for one request (semantic conventions 1.2x). */
export function httpClientAttributes(method: string, url: URL): Attributes {
  const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
  return {
    'http.request.method': method,
    'url.full': redactedUrl(url),
    // WHATWG URLs keep IPv6 hosts in brackets; server.address is the bare address.
    'server.address': url.hostname.replace(/^\[(.*)\]$/, '$1'),
    ...(port !== undefined && { 'server.port': port }),
  };
}
