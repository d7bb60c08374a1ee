import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeServer, listen } from '../../src/util/listen.js';
import { isPublicAddress, type Resolve } from '../../src/webhooks/address-guard.js';
import { createWebhookSender, MAX_RESPONSE_BYTES } from '../../src/webhooks/http-sender.js';
import { urlProblem } from '../../src/webhooks/url-policy.js';

/**
 * The webhook sender attacked as an SSRF tool: literal private addresses, names that resolve there
 * (also only sometimes: DNS rebinding), redirects, slow receivers and huge answers. A local server
 * counts the connections it gets: a refused delivery never reaches it.
 */

let connections = 0;
let server: Server;
let port: number;
const routes = new Map<string, (res: ServerResponse) => void>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const route = routes.get(req.url ?? '/');
    if (route) route(res);
    else res.writeHead(204).end();
  });
  server.on('connection', () => (connections += 1));
  await listen(server, 0, '127.0.0.1');
  port = (server.address() as AddressInfo).port;
});
afterAll(() => closeServer(server));

/** DNS the attacker controls: each name answers what the table says (a list: one answer per lookup). */
function attackerDns(table: Record<string, string[]>): Resolve {
  const calls = new Map<string, number>();
  return (hostname) => {
    const answers = table[hostname];
    if (!answers) return Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
    const call = calls.get(hostname) ?? 0;
    calls.set(hostname, call + 1);
    const address = answers[Math.min(call, answers.length - 1)]!;
    return Promise.resolve([{ address, family: address.includes(':') ? 6 : 4 }]);
  };
}

const strict = (resolve?: Resolve) => createWebhookSender({ allowPrivate: false, ...(resolve && { resolve }) });
const send = (sender: ReturnType<typeof createWebhookSender>, url: string) => sender(url, {}, '{}');

describe('isPublicAddress', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    '64:ff9b::a9fe:a9fe',
    'not-an-address',
  ])('%s is not public', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('urlProblem (at create)', () => {
  const policy = { httpsOnly: false, allowPrivate: false };
  it.each([
    ['http://127.0.0.1/hook', 'private'],
    ['http://[::1]/hook', 'private'],
    ['http://169.254.169.254/latest/meta-data', 'private'],
    ['http://10.1.2.3/', 'private'],
    ['http://2130706433/', 'private'],
    ['http://0x7f.1/', 'private'],
    ['http://[::ffff:127.0.0.1]/', 'private'],
    ['http://localhost:8080/', 'localhost'],
    ['http://a.localhost/', 'localhost'],
    ['ftp://example.com/', 'http or https'],
    ['file:///etc/passwd', 'http or https'],
    ['https://user:pw@example.com/', 'credentials'],
    ['https://example.com/#x', 'fragment'],
    ['not a url', 'absolute URL'],
    [`https://example.com/${'a'.repeat(3000)}`, 'at most'],
  ])('%s is refused (%s)', (url, words) => {
    expect(urlProblem(url, policy)).toContain(words);
  });

  it('https only in production; public names pass (they are checked again after DNS)', () => {
    expect(urlProblem('http://example.com/hook', { httpsOnly: true, allowPrivate: false })).toBe('must be https');
    expect(urlProblem('https://example.com/hook', { httpsOnly: true, allowPrivate: false })).toBeUndefined();
    expect(urlProblem('http://127.0.0.1:9/hook', { httpsOnly: false, allowPrivate: true })).toBeUndefined();
  });
});

describe('the sender never connects to a private address', () => {
  it.each([
    ['a literal loopback address', () => `http://127.0.0.1:${port}/`],
    ['a literal IPv6 loopback', () => `http://[::1]:${port}/`],
    ['an IPv4-mapped loopback', () => `http://[::ffff:127.0.0.1]:${port}/`],
    ['a decimal loopback', () => `http://2130706433:${port}/`],
  ])('%s: refused without a connection', async (_name, url) => {
    const before = connections;
    const outcome = await send(strict(), url());
    expect(outcome.statusCode).toBeUndefined();
    expect(outcome.error).toMatch(/not a public address/);
    expect(connections).toBe(before);
  });

  it('the metadata address and 10.x: refused before any connection is tried', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/']) {
      expect((await send(strict(), url)).error).toMatch(/not a public address/);
    }
  });

  it('a name that resolves to loopback (localhost, by the system resolver): refused', async () => {
    const before = connections;
    const outcome = await send(strict(), `http://localhost:${port}/`);
    expect(outcome.error).toMatch(/WEBHOOK_ADDRESS_REFUSED|not a public address/);
    expect(connections).toBe(before);
  });

  it.each([['127.0.0.1'], ['169.254.169.254'], ['10.9.8.7'], ['::1']])(
    'a public-looking name that resolves to %s: refused',
    async (address) => {
      const before = connections;
      const outcome = await send(
        strict(attackerDns({ 'hooks.attacker.example': [address] })),
        `http://hooks.attacker.example:${port}/`,
      );
      expect(outcome.error).toMatch(/not a public address/);
      expect(connections).toBe(before);
    },
  );

  it('DNS rebinding: the socket connects to the address that was checked, never a second answer', async () => {
    // First answer public (the check), every later one loopback: the sender asks once and connects
    // to what it checked (a public address, out of the test's reach), never to 127.0.0.1.
    const dns = attackerDns({ 'rebind.attacker.example': ['93.184.216.34', '127.0.0.1'] });
    const before = connections;
    const sender = createWebhookSender({ allowPrivate: false, resolve: dns, timeoutMs: 300 });
    const outcome = await send(sender, `http://rebind.attacker.example:${port}/`);
    expect(outcome.error).not.toMatch(/not a public address/);
    expect(outcome.statusCode).toBeUndefined();
    expect(connections).toBe(before);
  });

  it('any private address among the answers refuses the name', async () => {
    const dns: Resolve = () =>
      Promise.resolve([
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ]);
    expect((await send(strict(dns), `http://mixed.attacker.example:${port}/`)).error).toMatch(/not a public address/);
  });
});

describe('what the sender reads (private addresses allowed, as in the tests)', () => {
  const open = createWebhookSender({ allowPrivate: true, timeoutMs: 300 });

  it('a redirect is not followed: the 3xx is the answer, the target never hears of it', async () => {
    let targetHits = 0;
    routes.set('/target', (res) => {
      targetHits += 1;
      res.writeHead(200).end('ok');
    });
    routes.set('/redirect', (res) => res.writeHead(302, { location: `http://127.0.0.1:${port}/target` }).end());
    const outcome = await send(open, `http://127.0.0.1:${port}/redirect`);
    expect(outcome.statusCode).toBe(302);
    expect(targetHits).toBe(0);
  });

  it('a receiver that never answers is cut at the timeout', async () => {
    routes.set('/silent', () => undefined);
    const outcome = await send(open, `http://127.0.0.1:${port}/silent`);
    expect(outcome.error).toMatch(/no complete answer within 300 ms/);
    expect(outcome.durationMs).toBeLessThan(2_000);
  });

  it('a receiver that trickles its body is cut at the same timeout', async () => {
    routes.set('/trickle', (res) => {
      res.writeHead(200);
      const timer = setInterval(() => res.write('.'), 50);
      res.on('close', () => clearInterval(timer));
    });
    const outcome = await send(open, `http://127.0.0.1:${port}/trickle`);
    expect(outcome.error).toMatch(/no complete answer/);
  });

  it('a huge answer: at most 4 KiB is read, then the connection is closed', async () => {
    routes.set('/huge', (res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const more = () => {
        while (sent < 64 && res.write(chunk)) sent += 1;
        if (sent < 64) res.once('drain', more);
        else res.end();
      };
      more();
    });
    const outcome = await send(open, `http://127.0.0.1:${port}/huge`);
    expect(outcome.statusCode).toBe(200);
    expect(outcome.body).toHaveLength(MAX_RESPONSE_BYTES);
  });
});
