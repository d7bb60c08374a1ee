import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

/**
 * The service's stdout destination (logger.ts `stdoutLines`): lines are written off the event loop,
 * none is lost when the process exits right after logging, and a stdout nobody reads neither blocks
 * the process nor grows it without bound.
 */

const FIXTURE = 'test/fixtures/stdout-logger.ts';

function logging(lines: number, bufferBytes: number, exitAfter: boolean, reportEveryMs = 60_000) {
  const args = [String(lines), String(bufferBytes), String(reportEveryMs)];
  return spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
    env: { PATH: process.env.PATH, EXIT_AFTER_LOGGING: String(exitAfter) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

describe('log lines on stdout', () => {
  it('are all written when the process exits right after logging them', async () => {
    const child = logging(5_000, 16 * 1_048_576, true);
    const indexes: number[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      indexes.push((JSON.parse(line) as { index: number }).index);
    });
    const [code] = (await once(child, 'close')) as [number];
    expect(code).toBe(0);
    expect(indexes).toHaveLength(5_000);
    expect(indexes.every((index, position) => index === position)).toBe(true);
  });

  it('do not block the process when stdout is not read, and past the buffer are dropped and reported', async () => {
    // 5,000 lines of ~250 bytes (~1.2 MB) against a 64 KiB pipe nobody reads and a 256 KiB buffer: a
    // blocking write would hang on the pipe; this process finishes logging and says so.
    const child = logging(5_000, 262_144, false);
    child.stdout.pause();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await expect.poll(() => stderr, { timeout: 20_000, interval: 50 }).toContain('logged');
      const report = stderr.split('\n').find((line) => line.includes('log lines dropped'));
      expect(report).toBeDefined();
      expect(JSON.parse(report!)).toMatchObject({ level: 40, dropped: 1, bufferBytes: 262_144 });
      // Once a minute at most: the drops after the first wait for the minute to end.
      expect(stderr.split('\n').filter((line) => line.includes('log lines dropped'))).toHaveLength(1);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'close');
    }
  });

  it('count every dropped line once, the ones after the first when the report window ends', async () => {
    const child = logging(5_000, 262_144, false, 300);
    child.stdout.pause();
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const reported = () =>
      stderr
        .split('\n')
        .filter((line) => line.includes('log lines dropped'))
        .reduce((sum, line) => sum + (JSON.parse(line) as { dropped: number }).dropped, 0);
    try {
      await expect.poll(() => /logged, (\d+) dropped/.exec(stderr)?.[1], { timeout: 20_000 }).toBeDefined();
      const dropped = Number(/logged, (\d+) dropped/.exec(stderr)![1]);
      expect(dropped).toBeGreaterThan(1);
      // The first drop at once, the rest within the next window, none twice.
      await expect.poll(reported, { timeout: 5_000, interval: 50 }).toBe(dropped);
    } finally {
      child.kill('SIGKILL');
      await once(child, 'close');
    }
  });
});
