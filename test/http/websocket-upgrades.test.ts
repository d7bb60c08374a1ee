import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { websocketUpgrades, type WebSocketUpgradeOptions } from '../../src/http/websocket-upgrades.js';
import type { WebSocketRefusal } from '../../src/observability/metrics.js';
import { closeServer, listen } from '../../src/util/listen.js';

let server: Server | undefined;
afterEach(async () => {
  if (server) await closeServer(server);
  server = undefined;
});

/** A real HTTP server whose admitted upgrades are held open (as a WebSocket would be) until the client closes. */
async function gate(options: Partial<WebSocketUpgradeOptions> = {}) {
  const refusals: WebSocketRefusal[] = [];
  const upgrades = websocketUpgrades(
    {
      path: '/graphql',
      origins: ['https://app.example.com'],
      ownOrigin: false,
      maxConnections: 10,
      maxConnectionsPerIp: 10,
      refused: (reason) => refusals.push(reason),
      logger: pino({ level: 'silent' }),
      ...options,
    },
    (_request, socket) => {
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      socket.on('end', () => socket.end()); // as a WebSocket does when its peer goes
    },
  );
  server = createServer();
  server.on('upgrade', upgrades.listener);
  const url = new URL(await listen(server, 0, '127.0.0.1'));
  return { upgrades, refusals, port: Number(url.port), host: url.host };
}

/** Sends an upgrade request; answers the status line's code and the socket (still open when admitted). */
function upgrade(port: number, headers: Record<string, string>, path = '/graphql') {
  return new Promise<{ status: number; socket: Socket }>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      const lines = Object.entries({ Upgrade: 'websocket', Connection: 'Upgrade', ...headers }).map(
        ([name, value]) => `${name}: ${value}`,
      );
      socket.write(`GET ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`);
    });
    socket.once('data', (chunk) => resolve({ status: Number(chunk.toString().split(' ')[1]), socket }));
    socket.once('error', reject);
  });
}

const closed = (socket: Socket) => new Promise<void>((resolve) => socket.end(() => resolve()));

describe('websocketUpgrades', () => {
  it('admits no Origin and listed ones; refuses others, and the own origin unless asked to allow it', async () => {
    const strict = await gate();
    const answers = [
      await upgrade(strict.port, { Host: strict.host }),
      await upgrade(strict.port, { Host: strict.host, Origin: 'https://app.example.com' }),
      await upgrade(strict.port, { Host: strict.host, Origin: `http://${strict.host}` }),
      await upgrade(strict.port, { Host: strict.host, Origin: '' }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([101, 101, 403, 403]);
    expect(strict.refusals).toEqual(['origin', 'origin']);
    await Promise.all(answers.map((answer) => closed(answer.socket)));
    await closeServer(server!);

    const playground = await gate({ ownOrigin: true });
    const own = await upgrade(playground.port, { Host: playground.host, Origin: `http://${playground.host}` });
    // The Host header is what the browser was asked to reach: another host under our Origin is not us.
    const spoofed = await upgrade(playground.port, { Host: 'evil.example', Origin: `http://${playground.host}` });
    expect([own.status, spoofed.status]).toEqual([101, 403]);
    await closed(own.socket);
  });

  it('answers 404 off the path and 503 once stopped; frees a slot when its socket closes', async () => {
    const { upgrades, refusals, port, host } = await gate({ maxConnections: 1 });
    expect((await upgrade(port, { Host: host }, '/elsewhere')).status).toBe(404);
    const first = await upgrade(port, { Host: host });
    expect(first.status).toBe(101);
    expect(upgrades.open()).toBe(1);
    expect((await upgrade(port, { Host: host })).status).toBe(503);
    await closed(first.socket);
    await expect.poll(() => upgrades.open()).toBe(0);
    const second = await upgrade(port, { Host: host });
    expect(second.status).toBe(101);
    await closed(second.socket);
    upgrades.stop();
    expect((await upgrade(port, { Host: host })).status).toBe(503);
    expect(refusals).toEqual(['connections', 'closing']);
  });

  it('counts per socket address: a forged X-Forwarded-For does not buy another slot', async () => {
    const { refusals, port, host } = await gate({ maxConnectionsPerIp: 1 });
    const first = await upgrade(port, { Host: host });
    const forged = await upgrade(port, { Host: host, 'X-Forwarded-For': '203.0.113.9', 'X-Real-IP': '203.0.113.9' });
    expect([first.status, forged.status]).toEqual([101, 429]);
    expect(refusals).toEqual(['connections_per_ip']);
    await closed(first.socket);
  });
});
