import { createConnection } from 'node:net';
import { Cluster, Redis } from 'ioredis';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { startCluster, startSentinelGroup, startStandalone, stopAll } from '../helpers/redis-topologies.js';

afterAll(stopAll);

/** Whether anything accepts a TCP connection on the loopback port. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const reconnectOnError = (error: Error): 1 | false => (error.message.startsWith('READONLY') ? 1 : false);

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(1);

describe('redis topologies harness', () => {
  it('starts a standalone Redis that kill/start/pause keep on the same port', async () => {
    const redis = await startStandalone({ maxmemory: '10mb', maxmemoryPolicy: 'noeviction' });
    expect(await redis.cli('SET', 'k', 'v')).toBe('OK');
    expect(await redis.cli('CONFIG', 'GET', 'maxmemory-policy')).toBe('["maxmemory-policy","noeviction"]');
    await redis.kill();
    expect(await answers(redis.port)).toBe(false);
    await redis.start();
    expect(await redis.cli('PING')).toBe('PONG');
    await redis.stop();
    expect(await answers(redis.port)).toBe(false);
  });

  it('starts a Sentinel group whose failover a Sentinel client follows', async () => {
    let since = performance.now();
    const group = await startSentinelGroup();
    console.info(`sentinel group started in ${seconds(since)} s`);
    expect(group.env.REDIS_SENTINEL_NAME).toBe(group.name);
    expect(group.env.REDIS_SENTINELS?.split(',')).toHaveLength(3);

    const client = new Redis({
      sentinels: group.sentinels.map(({ host, port }) => ({ host, port })),
      name: group.name,
      failoverDetector: true,
      reconnectOnError,
      maxRetriesPerRequest: 1,
    });
    client.on('error', () => undefined);
    try {
      expect(await client.set('before', '1')).toBe('OK');
      expect(await client.get('before')).toBe('1');

      const [first, second] = group.nodes;
      expect((await group.primary()).port).toBe(first?.port);
      since = performance.now();
      await group.failover();
      console.info(`sentinel failover took ${seconds(since)} s`);
      expect((await group.primary()).port).toBe(second?.port);
      expect(JSON.parse(await second!.cli('ROLE'))[0]).toBe('master');

      await vi.waitFor(async () => expect(await client.set('after', '2')).toBe('OK'), { timeout: 10_000 });
      expect(await client.get('before')).toBe('1');
      expect(await second!.cli('GET', 'after')).toBe('2');
    } finally {
      client.disconnect();
    }

    const ports = [...group.nodes.map((n) => n.port), ...group.sentinels.map((s) => s.port)];
    await group.stop();
    for (const port of ports) expect(await answers(port)).toBe(false);
  }, 60_000);

  it('starts a Cluster that survives a manual failover and a killed primary', async () => {
    let since = performance.now();
    const topology = await startCluster();
    console.info(`cluster started in ${seconds(since)} s`);
    expect(topology.env.REDIS_CLUSTER_NODES?.split(',')).toHaveLength(6);
    expect(await topology.primaries()).toHaveLength(3);

    const cluster = new Cluster(
      topology.nodes.map(({ host, port }) => ({ host, port })),
      { scaleReads: 'master', clusterRetryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000) },
    );
    cluster.on('error', () => undefined);
    try {
      const keys = Array.from({ length: 60 }, (_, i) => `key-${i}`);
      for (const key of keys) await cluster.set(key, `value-${key}`);
      const masters = cluster.nodes('master');
      expect(masters).toHaveLength(3);
      // Every primary acknowledged by its replica before the failover.
      for (const master of masters) expect(await master.call('WAIT', '1', '1000')).toBe(1);

      const [firstPrimary] = await topology.primaries();
      const replica = await topology.replicaOf(firstPrimary!);
      since = performance.now();
      await topology.failover();
      console.info(`cluster manual failover took ${seconds(since)} s`);
      expect(JSON.parse(await replica.cli('ROLE'))[0]).toBe('master');
      expect(JSON.parse(await firstPrimary!.cli('ROLE'))[0]).toBe('slave');
      for (const key of keys) expect(await cluster.get(key)).toBe(`value-${key}`);

      // SIGKILL the primary owning key-0: its replica takes over by itself.
      const primaries = await topology.primaries();
      let owner: (typeof primaries)[number] | undefined;
      for (const primary of primaries) {
        const reply = await primary.cli('GET', 'key-0').catch(() => undefined);
        if (reply !== undefined) owner = primary;
      }
      expect(owner).toBeDefined();
      const heir = await topology.replicaOf(owner!);
      since = performance.now();
      await owner!.kill();
      await vi.waitFor(async () => expect(await cluster.set('key-0', 'after-kill')).toBe('OK'), {
        timeout: 15_000,
        interval: 200,
      });
      console.info(`cluster automatic failover (write accepted again) took ${seconds(since)} s`);
      expect(JSON.parse(await heir.cli('ROLE'))[0]).toBe('master');
      expect(await heir.cli('GET', 'key-0')).toBe('after-kill');
      expect(await cluster.get('key-1')).toBe('value-key-1');
    } finally {
      cluster.disconnect();
    }

    const ports = topology.nodes.map((n) => n.port);
    await topology.stop();
    for (const port of ports) expect(await answers(port)).toBe(false);
  }, 60_000);
});
