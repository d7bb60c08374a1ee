import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startApp } from '../helpers/app.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { freePort } from '../helpers/ports.js';
import { redisForTests, uniquePrefix } from '../helpers/redis.js';
import { startCluster, stopAll } from '../helpers/redis-topologies.js';
import { useStack } from '../helpers/stack.js';

await redisForTests();
const stack = useStack({ app: false });
afterAll(() => stopAll());
const run = promisify(execFile);

describe('a Cluster that grows', () => {
  it('a primary added and given slots (a scale-out) gets the marker: no false STATE_LOST, sends go on', async () => {
    const cluster = await startCluster();
    const dir = mkdtempSync(join(tmpdir(), 'smn-scale-out-'));
    const [port, busPort] = [await freePort(), await freePort()];
    const node: ChildProcess = spawn(
      'redis-server',
      [
        ...['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1'],
        ...['--cluster-enabled', 'yes', '--cluster-config-file', join(dir, 'nodes.conf'), '--dir', dir],
        ...['--save', '', '--appendonly', 'no'],
      ],
      { stdio: 'ignore' },
    );
    const app = await startApp(
      stack.env({ ...cluster.env, REDIS_KEY_PREFIX: uniquePrefix(), REDIS_CHECK_INTERVAL_MS: '200' }),
    );
    try {
      expect((await publish(app, promotionInput({ endpoints: ['+8613700000001'] }))).errors).toBeUndefined();
      const seed = `127.0.0.1:${cluster.nodes[0]!.port}`;
      await vi.waitFor(() => run('redis-cli', ['-p', String(port), 'PING']), { timeout: 10_000 });
      await run('redis-cli', ['--cluster', 'add-node', `127.0.0.1:${port}`, seed]);
      await vi.waitFor(
        async () =>
          expect((await run('redis-cli', ['-p', String(port), 'CLUSTER', 'INFO'])).stdout).toMatch(/cluster_state:ok/),
        { timeout: 20_000, interval: 200 },
      );
      const id = (await run('redis-cli', ['-p', String(port), 'CLUSTER', 'MYID'])).stdout.trim();
      await run('redis-cli', [
        '--cluster',
        'rebalance',
        seed,
        '--cluster-use-empty-masters',
        '--cluster-threshold',
        '1',
      ]);
      // The new primary owns slots now; the replicas see it at their next checks.
      await vi.waitFor(
        async () => {
          const nodes = (await run('redis-cli', ['-p', String(port), 'CLUSTER', 'NODES'])).stdout;
          expect(nodes.split('\n').find((line) => line.startsWith(id))).toMatch(/master - \d+ \d+ \d+ connected \d/);
          const ready = (await (await fetch(`${app.url}/readyz`)).json()) as { state: { nodes: unknown[] } };
          expect(ready.state.nodes, nodes).toHaveLength(4);
        },
        { timeout: 30_000, interval: 250 },
      );
      const ready = await fetch(`${app.url}/readyz`);
      expect(ready.status, JSON.stringify(await ready.clone().json())).toBe(200);
      expect((await publish(app, promotionInput({ endpoints: ['+8613700000002'] }))).errors).toBeUndefined();
    } finally {
      await app.close();
      node.kill('SIGKILL');
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
