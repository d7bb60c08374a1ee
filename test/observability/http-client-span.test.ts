import { describe, expect, it } from 'vitest';
import { httpClientAttributes, redactedUrl } from '../../src/observability/http-client-span.js';

describe("OpenTelemetry's HTTP client attributes", () => {
  it('SMN over https without a port: server.port 443 (a number), url.full as called', () => {
    const url = new URL('https://smn.cn-north-4.myhuaweicloud.com/v2/p1/notifications/sms/promotion');
    expect(httpClientAttributes('POST', url)).toEqual({
      'http.request.method': 'POST',
      'url.full': 'https://smn.cn-north-4.myhuaweicloud.com/v2/p1/notifications/sms/promotion',
      'server.address': 'smn.cn-north-4.myhuaweicloud.com',
      'server.port': 443,
    });
  });

  it('an explicit port, plain http, and an IPv6 host', () => {
    expect(httpClientAttributes('GET', new URL('http://127.0.0.1:41234/x'))).toMatchObject({
      'server.address': '127.0.0.1',
      'server.port': 41234,
    });
    expect(httpClientAttributes('GET', new URL('http://smn.internal/x'))['server.port']).toBe(80);
    expect(httpClientAttributes('GET', new URL('https://[::1]:8443/x'))).toMatchObject({
      'server.address': '::1',
      'server.port': 8443,
    });
  });

  it('query values, user info and fragments never reach url.full; the query names stay', () => {
    const url = new URL(
      'https://user:pa55@smn.example.com/v2/p/notifications/sms_template?offset=0&limit=5' +
        '&sms_template_name=Spring%20sale%20for%20%2B8613812345678&Signature=abc&Signature=def#frag',
    );
    const full = redactedUrl(url);
    expect(full).toBe(
      'https://REDACTED:REDACTED@smn.example.com/v2/p/notifications/sms_template' +
        '?offset=REDACTED&limit=REDACTED&sms_template_name=REDACTED&Signature=REDACTED&Signature=REDACTED',
    );
    expect(full).not.toMatch(/pa55|user|13812345678|Spring|abc|def|frag/);
    expect(url.href).toContain('pa55'); // the URL used for the call is left as it is
    expect(redactedUrl(new URL('https://smn.example.com/v2/p/notifications/sms_sign'))).toBe(
      'https://smn.example.com/v2/p/notifications/sms_sign',
    );
  });
});
