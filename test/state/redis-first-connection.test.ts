import { createServer, type Server, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { waitUntilReady } from '../../src/state/redis-startup.js';

/** A server that resets every connection at once, as a TLS 1.3 server refusing a client certificate can look. */
async function resettingServer(): Promise<{ server: Server; port: number }> {
  const server = createServer((socket: Socket) => socket.resetAndDestroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as { port: number }).port };
}

describe('the first connection names its cause', () => {
  const closers: Array<() => unknown> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function failure(tls: boolean): Promise<string> {
    const { server, port } = await resettingServer();
    const redis = new Redis({
      host: '127.0.0.1',
      port,
      ...(tls && { tls: { rejectUnauthorized: false } }),
      retryStrategy: () => 50,
      maxRetriesPerRequest: 0,
    });
    redis.on('error', () => undefined);
    closers.push(
      () => redis.disconnect(),
      () => new Promise((resolve) => server.close(resolve)),
    );
    return waitUntilReady(redis, 400).then(
      () => 'connected',
      (error: Error) => error.message,
    );
  }

  it('over TLS, a reset before the first reply is reported as a TLS failure that points at the client certificate', async () => {
    const message = await failure(true);
    expect(message).toMatch(/^Redis not reachable within 400 ms: TLS \((ECONNRESET|EPIPE): /);
    expect(message).toContain('REDIS_TLS_CERT/REDIS_TLS_KEY');
  });

  it('without TLS, a reset stays a reset', async () => {
    expect(await failure(false)).toMatch(/^Redis not reachable within 400 ms: ECONNRESET \(/);
  });
});
