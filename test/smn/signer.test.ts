import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  canonicalUri,
  formatSdkDate,
  parseAuthorization,
  percentEncode,
  sign,
  signParts,
} from '../../src/smn/signer.js';

const require = createRequire(import.meta.url);
// Huawei's own SDK signer, a devDependency used only as an independent oracle.
const { AKSKSigner } = require('@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner') as {
  AKSKSigner: { sign(request: unknown, credential: unknown): Record<string, string> };
};

const VECTOR = {
  ak: 'QTWAOYTTINDUT2QVKYUC',
  sk: 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc',
  url: 'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
  signature: '7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe',
};

function oracle(
  input: { method: string; url: string; headers: Record<string, string>; data?: unknown },
  ak: string,
  sk: string,
) {
  const url = new URL(input.url);
  const queryParams: Record<string, string | string[]> = {};
  for (const [name, value] of url.searchParams) {
    const existing = queryParams[name];
    queryParams[name] = existing === undefined ? value : [...[existing].flat(), value];
  }
  const signed = AKSKSigner.sign(
    { method: input.method, endpoint: input.url, queryParams, headers: input.headers, data: input.data },
    { getAk: () => ak, getSk: () => sk },
  );
  return signed.Authorization;
}

describe('SDK-HMAC-SHA256 signer', () => {
  it("reproduces Huawei's published worked example", () => {
    const parts = signParts(
      {
        method: 'GET',
        url: new URL(VECTOR.url),
        headers: { 'Content-Type': 'application/json', 'X-Sdk-Date': '20191115T033655Z' },
        body: '',
      },
      { ak: VECTOR.ak, sk: VECTOR.sk },
    );
    expect(parts.signedHeaders).toBe('content-type;host;x-sdk-date');
    expect(parts.signature).toBe(VECTOR.signature);
    expect(parts.authorization).toBe(
      `SDK-HMAC-SHA256 Access=${VECTOR.ak}, SignedHeaders=content-type;host;x-sdk-date, Signature=${VECTOR.signature}`,
    );
    expect(parts.canonicalRequest.split('\n')[1]).toBe('/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/');
  });

  it('agrees with the SDK signer on the worked example', () => {
    const fromOracle = oracle(
      {
        method: 'GET',
        url: VECTOR.url,
        headers: { 'Content-Type': 'application/json', 'X-Sdk-Date': '20191115T033655Z' },
      },
      VECTOR.ak,
      VECTOR.sk,
    );
    expect(fromOracle).toContain(`Signature=${VECTOR.signature}`);
  });

  const cases: Array<{ name: string; method: string; url: string; data?: unknown; extra?: Record<string, string> }> = [
    {
      name: 'the promotion POST with a unicode body',
      method: 'POST',
      url: 'https://smn.cn-north-4.myhuaweicloud.com/v2/0123456789abcdef0123456789abcdef/notifications/sms/promotion',
      data: { endpoints: ['+8613812345678', '13912345678'], sms_template_id: 'tpl_1', extend_code: '促销活动-双11' },
      extra: { 'X-Project-Id': '0123456789abcdef0123456789abcdef' },
    },
    {
      name: 'a query string that needs sorting and encoding',
      method: 'GET',
      url: 'https://smn.example.com/v2/p/notifications/sms/report?status=1&mobile=%2B8613800000000&message_id=a+b&offset=0&limit=10&q=%E4%B8%AD%E6%96%87~*!',
    },
    {
      name: 'a repeated query parameter and an empty value',
      method: 'GET',
      url: 'https://smn.example.com/v2/p/items?b=2&a=z&a=y&empty=',
    },
    {
      // Written as both URL parsers keep it (node's legacy url.parse, which the SDK uses, escapes a raw
      // apostrophe that WHATWG URL leaves alone); we sign the path exactly as it goes on the wire.
      name: 'odd path segments (percent-encoded unicode, reserved characters, port, trailing slash)',
      method: 'DELETE',
      url: `https://smn.example.com:8443/v2/${encodeURIComponent('名前')}/a%20b/x(y)*!%27/`,
    },
    {
      name: 'a temporary credential with a security token',
      method: 'POST',
      url: 'http://127.0.0.1:8080/v2/p/notifications/sms/promotion',
      data: { endpoints: ['+14155550100'], sms_template_id: 'abc' },
      extra: { 'X-Security-Token': 'token/with+odd=chars' },
    },
  ];

  for (const testCase of cases) {
    it(`is byte-identical to the SDK signer: ${testCase.name}`, () => {
      const headers = {
        'Content-Type': 'application/json;charset=UTF-8',
        'X-Sdk-Date': '20261124T101112Z',
        ...testCase.extra,
      };
      const body = testCase.data === undefined ? '' : JSON.stringify(testCase.data);
      const ours = signParts(
        { method: testCase.method, url: new URL(testCase.url), headers, body },
        { ak: 'AK1', sk: 'SK-secret' },
      );
      expect(ours.authorization).toBe(
        oracle({ method: testCase.method, url: testCase.url, headers, data: testCase.data }, 'AK1', 'SK-secret'),
      );
    });
  }

  it('matches the SDK signer on generated random bodies and queries', () => {
    const alphabet = ['a', 'Z', '9', '-', '_', '.', '~', ' ', '+', '/', '?', '=', '&', '%', '中', '😀', 'é', '"', '\\'];
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const text = (length: number) =>
      Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let i = 0; i < 200; i += 1) {
      const url = new URL('https://smn.example.com/v2/project/notifications/sms/promotion');
      url.searchParams.set(`k${text(3)}`, text(6));
      url.searchParams.append('k', text(4));
      const data = { endpoints: [`+86${Math.floor(random() * 1e10)}`], extend_code: text(8) };
      const headers = { 'Content-Type': 'application/json', 'X-Sdk-Date': '20260101T000000Z' };
      const ours = signParts({ method: 'POST', url, headers, body: JSON.stringify(data) }, { ak: 'AK', sk: 'SK' });
      expect(ours.authorization).toBe(oracle({ method: 'POST', url: url.toString(), headers, data }, 'AK', 'SK'));
    }
  });

  it('adds a fresh X-Sdk-Date, the security token and Authorization', () => {
    const headers = sign(
      {
        method: 'POST',
        url: new URL('https://h.example.com/x'),
        headers: { 'content-type': 'application/json' },
        body: '{}',
      },
      { ak: 'AK', sk: 'SK', securityToken: 'TOKEN' },
      new Date('2026-11-24T01:02:03.456Z'),
    );
    expect(headers['X-Sdk-Date']).toBe('20261124T010203Z');
    expect(headers['X-Security-Token']).toBe('TOKEN');
    expect(parseAuthorization(headers.Authorization)?.signedHeaders).toEqual([
      'content-type',
      'host',
      'x-sdk-date',
      'x-security-token',
    ]);
  });

  it('encodes like the SDK: only unreserved characters stay, uppercase hex, UTF-8 bytes', () => {
    expect(percentEncode("a-Z_0.~ !*'()/中")).toBe('a-Z_0.~%20%21%2A%27%28%29%2F%E4%B8%AD');
    expect(canonicalUri('/v1/a b')).toBe('/v1/a%20b/');
    expect(canonicalUri('/v1/x/')).toBe('/v1/x/');
    expect(formatSdkDate(new Date('2019-11-15T03:36:55Z'))).toBe('20191115T033655Z');
  });

  it('parses its own Authorization header and refuses malformed ones', () => {
    expect(parseAuthorization('Bearer x')).toBeNull();
    expect(parseAuthorization(undefined)).toBeNull();
    const parsed = parseAuthorization(
      `SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=${'a'.repeat(64)}`,
    );
    expect(parsed).toEqual({ access: 'AK', signedHeaders: ['host', 'x-sdk-date'], signature: 'a'.repeat(64) });
  });
});
