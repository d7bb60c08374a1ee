import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startApp } from '../helpers/app.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { freePort } from '../helpers/ports.js';
import { redisForTests, uniquePrefix } from '../helpers/redis.js';
import { startStandalone, stopAll } from '../helpers/redis-topologies.js';
import { certificates } from '../helpers/test-certificates.js';
import { useStack } from '../helpers/stack.js';

await redisForTests();
const stack = useStack({ app: false });
afterAll(() => stopAll());

let next = 0;
const number = () => `+86139${String((next += 1)).padStart(8, '0')}`;

/** A TCP forwarder whose target can be switched, as a floating address (Huawei DCS master/standby) moves. */
async function floatingAddress(
  target: number,
): Promise<{ port: number; moveTo(port: number): void; close(): Promise<void> }> {
  let current = target;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(current, '127.0.0.1');
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port,
    moveTo: (to) => {
      current = to; // connections already open stay on the old node, as they do behind a real VIP
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('Redis over TLS with a private CA and a client certificate', () => {
  it('connects with REDIS_TLS_CA + REDIS_TLS_CERT/KEY (files); without the client certificate the cause is named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'smn-tls-'));
    const files = certificates(dir);
    const port = await freePort();
    const server: ChildProcess = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--tls-cert-file',
        join(dir, 'server.pem'),
        '--tls-key-file',
        join(dir, 'server.key'),
        '--tls-ca-cert-file',
        files.ca,
        '--tls-auth-clients',
        'yes',
      ],
      { stdio: 'ignore' },
    );
    try {
      const base = {
        REDIS_URL: `rediss://127.0.0.1:${port}`,
        REDIS_KEY_PREFIX: uniquePrefix(),
        REDIS_TLS_CA: files.ca,
      };
      const app = await vi.waitFor(
        () => startApp(stack.env({ ...base, REDIS_TLS_CERT: files.cert, REDIS_TLS_KEY: files.key })),
        { timeout: 20_000, interval: 200 },
      );
      try {
        expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
        expect((await publish(app, promotionInput({ endpoints: [number()] }))).errors).toBeUndefined();
      } finally {
        await app.close();
      }
      const refused = await startApp(stack.env(base)).then(
        () => new Error('started without a client certificate'),
        (error: unknown) => error as Error,
      );
      console.info(`[tls] without a client certificate: ${refused.message}`);
      expect(refused.message).toMatch(/Redis not reachable within 10000 ms: \w+/);
      expect(refused.message).toMatch(/ms: \w*(SSL|TLS|CERT)\w*/);
    } finally {
      server.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('a floating address that moves to the new primary (DCS master/standby)', () => {
  it('READONLY from the old primary reconnects once, logs once, and sends resume without a double send', async () => {
    const first = await startStandalone();
    const second = await startStandalone();
    await second.cli('REPLICAOF', '127.0.0.1', String(first.port));
    await vi.waitFor(async () => expect(await second.cli('INFO', 'replication')).toMatch(/master_link_status:up/), {
      timeout: 10_000,
    });
    const vip = await floatingAddress(first.port);
    const app = await startApp(
      stack.env({
        REDIS_URL: `redis://127.0.0.1:${vip.port}`,
        REDIS_KEY_PREFIX: uniquePrefix(),
        REDIS_MIN_REPLICA_ACKS: '0',
      }),
    );
    try {
      await stack.simulator.reset();
      const before = promotionInput({ endpoints: [number()], idempotencyKey: 'before' });
      expect((await publish(app, before)).errors).toBeUndefined();
      // Failover: the standby becomes primary, the old primary its replica, the address moves.
      await second.cli('REPLICAOF', 'NO', 'ONE');
      await first.cli('REPLICAOF', '127.0.0.1', String(second.port));
      vip.moveTo(second.port);
      // A client retrying the same request with its key until it goes through.
      const after = promotionInput({ endpoints: [number()], idempotencyKey: 'after' });
      await vi.waitFor(
        async () => {
          const sent = await publish(app, after);
          expect(sent.errors).toBeUndefined();
        },
        { timeout: 15_000, interval: 100 },
      );
      // The key sent before the failover is still known on the new primary: replayed, not sent again.
      const again = await publish(app, before);
      expect(again.errors).toBeUndefined();
      expect(again.data?.publishPromotionSms.replayed).toBe(true);
      const received = (await stack.simulator.requests()).flatMap(
        (body) => (body as { endpoints: string[] }).endpoints,
      );
      expect(new Set(received).size).toBe(received.length);
      const readonlyLines = app.logs.entries().filter((entry) => JSON.stringify(entry).includes('READONLY'));
      expect(readonlyLines.length).toBeLessThanOrEqual(3);
    } finally {
      await app.close();
      await vip.close();
      await first.stop();
      await second.stop();
    }
  }, 60_000);
});
