import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigningIdentity } from '../../src/simulator/events.js';
import { startCertificateHost, type CertificateHost } from '../helpers/certificate-host.js';
import type { TestApp } from '../helpers/app.js';
import { envelopeSigner, replyMessage } from '../helpers/signed-envelopes.js';
import { useStack } from '../helpers/stack.js';

const stack = useStack({ app: false });
let host: CertificateHost;
let signer: ReturnType<typeof envelopeSigner>;
beforeAll(async () => {
  const identity = await createSigningIdentity();
  host = await startCertificateHost(identity.certificatePem);
  signer = envelopeSigner(identity.privateKey);
});
afterAll(() => host?.close());

/** A reply signed with the key of the certificate the local host serves, naming `signingCertUrl`. */
const signedReply = (signingCertUrl: string, mobile: string) =>
  signer.notification(replyMessage(mobile, 'thanks'), {
    signing_cert_url: signingCertUrl,
  });

async function postEvent(target: TestApp, envelope: unknown) {
  const response = await fetch(`${target.url}/smn/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope),
  });
  return { status: response.status, outcome: ((await response.json()) as { outcome?: string }).outcome };
}

/** An app with no pinned certificate that may fetch from the local host as it would from SMN's. */
const withFetchingApp = (fn: (app: TestApp) => Promise<void>) =>
  stack.withApp({ SMN_EVENTS: 'callback' }, fn, { certificateUrlAllowed: (url) => url.startsWith(`${host.url}/`) });

describe('/smn/events fetching the signing certificate (issue 24, item 8)', () => {
  it('a certificate URL failing for 40 envelopes (30 at once) is asked for once; each is refused 403', async () => {
    await withFetchingApp(async (app) => {
      const url = host.urlOf('failing', 'f00d');
      const before = host.requests('failing');
      const burst = await Promise.all(
        Array.from({ length: 30 }, (_, index) => postEvent(app, signedReply(url, `1390000${1000 + index}`))),
      );
      for (let index = 0; index < 10; index += 1) {
        burst.push(await postEvent(app, signedReply(url, `1390001${1000 + index}`)));
      }
      expect(burst.every((answer) => answer.status === 403 && answer.outcome === 'untrusted_certificate')).toBe(true);
      expect(host.requests('failing') - before).toBe(1);
    });
  });

  it('an endless certificate body: refused 403, the server stops being read soon after 16 KiB', async () => {
    await withFetchingApp(async (app) => {
      const answers = await Promise.all(
        Array.from({ length: 5 }, () => postEvent(app, signedReply(host.urlOf('endless', 'e0'), '13900002000'))),
      );
      expect(answers).toEqual(Array.from({ length: 5 }, () => ({ status: 403, outcome: 'untrusted_certificate' })));
      expect(host.requests('endless')).toBe(1);
      expect(host.bytesSent('endless')).toBeLessThan(64 * 1024);
    });
  });

  it('a good certificate is fetched once and verifies every envelope signed with its key', async () => {
    await withFetchingApp(async (app) => {
      const url = host.urlOf('good', '600d');
      const before = host.requests('good');
      const answers = await Promise.all(
        Array.from({ length: 10 }, (_, index) => postEvent(app, signedReply(url, `1390003${1000 + index}`))),
      );
      expect(answers.every((answer) => answer.status === 200 && answer.outcome === 'reply_not_a_keyword')).toBe(true);
      expect(host.requests('good') - before).toBe(1);
      const forged = { ...signedReply(url, '13900004000'), message: replyMessage('13900004000', 'TD') };
      expect(await postEvent(app, forged)).toEqual({ status: 403, outcome: 'bad_signature' });
    });
  });
});
