import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { expect, vi } from 'vitest';
import { freePort } from './ports.js';

/** The Redis the tests share (CI exports REDIS_URL after starting one). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Whether the Redis tests can run. Without Redis they are skipped, loudly, on a laptop; in CI
 * (CI=true) a missing Redis is a failure, never a skip.
 */
export async function redisForTests(): Promise<boolean> {
  if (await reachable(REDIS_URL)) return true;
  if (process.env.CI) throw new Error(`Redis tests are required in CI, but no Redis answers at ${REDIS_URL}`);
  console.warn(
    `\n${'!'.repeat(78)}\n!! SKIPPING the Redis tests: no Redis at ${REDIS_URL}. Start one or set REDIS_URL.\n${'!'.repeat(78)}\n`,
  );
  return false;
}

/** A key prefix of its own for each test app, so parallel tests never see each other's keys. */
export function uniquePrefix(): string {
  return `test-${randomUUID().slice(0, 8)}:`;
}

export interface PrivateRedis {
  readonly url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, nothing answers, no data is lost. */
  pause(): void;
  resume(): void;
}

/** A redis-server of the test's own, on a free port, that the test may stop and start again. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await vi.waitFor(async () => expect(await reachable(url)).toBe(true), { timeout: 10_000, interval: 50 });
  };
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  await start();
  return { url, start, stop, pause: () => void child?.kill('SIGSTOP'), resume: () => void child?.kill('SIGCONT') };
}
