import { createServer, type ServerResponse } from 'node:http';
import { closeServer, listen } from '../../src/util/listen.js';

/** The most an endless body sends when nobody stops reading it (a broken client gets it all, then fails). */
const ENDLESS_BYTES = 8 * 1024 * 1024;
const CHUNK = Buffer.alloc(1024, 'A');

export type CertificatePath = 'good' | 'failing' | 'endless' | 'declared-huge' | 'held';

/**
 * A real HTTP server standing in for SMN's certificate host, on a loopback port: `good` serves a
 * certificate, `failing` answers 500, `endless` streams a body that never ends (1 KiB a turn of the
 * event loop), `declared-huge` announces a gigabyte, `held` answers only when released. It counts the
 * requests and the body bytes it wrote for each path.
 */
export async function startCertificateHost(certificatePem = '') {
  const requests = new Map<string, number>();
  const bytes = new Map<string, number>();
  const held: ServerResponse[] = [];
  const stream = (path: string, res: ServerResponse) => {
    let sent = 0;
    const pump = () => {
      if (res.destroyed || res.writableEnded) return;
      if (sent >= ENDLESS_BYTES) return void res.end();
      res.write(CHUNK);
      sent += CHUNK.length;
      bytes.set(path, sent);
      setImmediate(pump);
    };
    pump();
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '')
      .split('/')
      .pop()!
      .replace(/^SMN_/, '')
      .replace(/_[0-9a-f]+\.pem$/, '');
    requests.set(path, (requests.get(path) ?? 0) + 1);
    if (path === 'good') return void res.end(certificatePem);
    if (path === 'failing') return void res.writeHead(500).end('down');
    if (path === 'endless') return stream(path, res.writeHead(200, { 'content-type': 'application/x-pem-file' }));
    if (path === 'declared-huge') return stream(path, res.writeHead(200, { 'content-length': String(1e9) }));
    if (path === 'held') return void held.push(res);
    res.writeHead(404).end();
  });
  const url = await listen(server, 0, '127.0.0.1');
  return {
    url,
    /** A certificate-shaped URL on this host. */
    urlOf: (path: CertificatePath, serial = 'ab12') => `${url}/smn/SMN_${path}_${serial}.pem`,
    requests: (path: CertificatePath) => requests.get(path) ?? 0,
    bytesSent: (path: CertificatePath) => bytes.get(path) ?? 0,
    /** Answers every held request with `status`. */
    release(status = 404) {
      for (const res of held.splice(0)) res.writeHead(status).end();
    },
    close: () => closeServer(server),
  };
}

export type CertificateHost = Awaited<ReturnType<typeof startCertificateHost>>;
