import { sign, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createCertificateSource,
  isCertificateUrl,
  UntrustedCertificate,
} from '../../../src/smn/events/certificates.js';
import { createSigningIdentity, type SigningIdentity } from '../../../src/simulator/events.js';
import { startCertificateHost, type CertificateHost } from '../../helpers/certificate-host.js';

let identity: SigningIdentity;
let host: CertificateHost;
beforeAll(async () => {
  identity = await createSigningIdentity();
  host = await startCertificateHost(identity.certificatePem);
});
afterAll(() => host?.close());

/** A source fetching from the local host (instead of SMN's), on a clock the test moves. */
function source() {
  let at = Date.parse('2026-12-01T08:00:00Z');
  const certificates = createCertificateSource({
    hosts: [],
    allowed: (url) => new URL(url).origin === new URL(host.url).origin,
    clock: { now: () => new Date(at) },
  });
  return { certificates, advance: (ms: number) => (at += ms) };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof UntrustedCertificate ? error.message : `other: ${String(error)}`),
  );

describe('the signing certificate fetch (issue 24, item 8)', () => {
  it('fetches a certificate once for any number of concurrent and later envelopes, and its key verifies', async () => {
    const { certificates } = source();
    const url = host.urlOf('good', 'a001');
    const before = host.requests('good');
    const keys = await Promise.all(Array.from({ length: 20 }, () => certificates.keyFor(url)));
    await certificates.keyFor(url);
    expect(host.requests('good') - before).toBe(1);
    const signature = sign('sha256', Buffer.from('signed'), identity.privateKey);
    expect(keys.every((key) => verify('sha256', Buffer.from('signed'), key, signature))).toBe(true);
  });

  it('an endless body: refused as too large, and the server stops being read soon after 16 KiB', async () => {
    const { certificates } = source();
    expect(await refusal(certificates.keyFor(host.urlOf('endless')))).toBe('the certificate is too large');
    expect(host.bytesSent('endless')).toBeGreaterThan(16 * 1024);
    expect(host.bytesSent('endless')).toBeLessThan(64 * 1024);
  });

  it('a body announced larger than 16 KiB: refused before its body is read', async () => {
    const { certificates } = source();
    expect(await refusal(certificates.keyFor(host.urlOf('declared-huge')))).toBe('the certificate is too large');
    expect(host.bytesSent('declared-huge')).toBeLessThan(16 * 1024);
  });

  it('a failing URL is fetched once for many envelopes, and again only after 30 s', async () => {
    const { certificates, advance } = source();
    const url = host.urlOf('failing', 'b001');
    const before = host.requests('failing');
    const first = await Promise.all(Array.from({ length: 20 }, () => refusal(certificates.keyFor(url))));
    expect(new Set(first)).toEqual(new Set(['the certificate could not be fetched']));
    for (let index = 0; index < 20; index += 1) await refusal(certificates.keyFor(url));
    expect(host.requests('failing') - before).toBe(1);
    advance(29_000);
    await refusal(certificates.keyFor(url));
    expect(host.requests('failing') - before).toBe(1);
    advance(2_000);
    await refusal(certificates.keyFor(url));
    expect(host.requests('failing') - before).toBe(2);
  });

  it('a slow URL: concurrent envelopes wait on one fetch; its failure is then remembered', async () => {
    const { certificates } = source();
    const url = host.urlOf('held', 'c001');
    const waiting = Array.from({ length: 20 }, () => refusal(certificates.keyFor(url)));
    // A request arriving at the host is asynchronous.
    await vi.waitFor(() => expect(host.requests('held')).toBe(1), { timeout: 2_000, interval: 10 });
    host.release(404);
    expect(new Set(await Promise.all(waiting))).toEqual(new Set(['the certificate could not be fetched']));
    await refusal(certificates.keyFor(url));
    expect(host.requests('held')).toBe(1);
  });

  it('one certificate URL spelled several ways is one entry: one fetch, one remembered failure', async () => {
    const { certificates } = source();
    const before = host.requests('failing');
    for (const url of [
      `${host.url}/smn/SMN_failing_f001.pem`,
      `${host.url.replace('http:', 'HTTP:')}/smn/SMN_failing_f001.pem`,
      `${host.url}/smn/./SMN_failing_f001.pem`,
      `${host.url}/other/../smn/SMN_failing_f001.pem`,
    ]) {
      expect(await refusal(certificates.keyFor(url))).toBe('the certificate could not be fetched');
    }
    expect(host.requests('failing') - before).toBe(1);
  });

  it('a flood of failing certificate URLs does not push out a certificate already fetched', async () => {
    const { certificates } = source();
    const good = host.urlOf('good', 'd001');
    const before = host.requests('good');
    await certificates.keyFor(good);
    for (let serial = 0; serial < 100; serial += 1) {
      await refusal(certificates.keyFor(host.urlOf('failing', `e${serial.toString(16).padStart(3, '0')}`)));
    }
    await certificates.keyFor(good);
    expect(host.requests('good') - before).toBe(1);
  });
});

describe('which signing_cert_url may be fetched', () => {
  const hosts = ['smn.*.myhuaweicloud.com'];
  it.each([
    ['https://smn.cn-north-4.myhuaweicloud.com/smn/SMN_cn-north-4_8a8f0e7f.pem', true],
    ['https://SMN.cn-north-4.myhuaweicloud.com:443/smn/SMN_cn-north-4_8a8f0e7f.pem', true],
    ['https://smn.cn-north-4.myhuaweicloud.com/smn/SMN_cn-north-4_8a8f0e7f.pem?v=2', false],
    ['https://smn.cn-north-4.myhuaweicloud.com/smn/SMN_cn-north-4_8a8f0e7f.pem?', false],
    ['https://smn.cn-north-4.myhuaweicloud.com/smn/SMN_cn-north-4_8a8f0e7f.pem#x', false],
    ['https://smn.cn-north-4.myhuaweicloud.com/smn/SMN_cn-north-4_8a8f0e7f.pem#', false],
    ['https://smn.cn-north-4.myhuaweicloud.com/smn/SMN_cn-north-4_%38a.pem', false],
    ['http://smn.cn-north-4.myhuaweicloud.com/smn/SMN_cn-north-4_8a8f0e7f.pem', false],
  ])('%s: %s', (url, expected) => {
    expect(isCertificateUrl(url, hosts)).toBe(expected);
  });
});
