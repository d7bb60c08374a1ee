import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, loadStateConfig } from '../src/config/index.js';

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

const PEM = '-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----';

describe('Redis settings: one topology, its credentials and TLS', () => {
  it('standalone from REDIS_URL, credentials from the URL unless REDIS_USERNAME/REDIS_PASSWORD say otherwise', () => {
    const redis = loadConfig({ REDIS_URL: 'rediss://app:s%40cret@cache:6380/3' }).state.redis!;
    expect(redis.topology).toEqual({ kind: 'standalone', url: new URL('rediss://app:s%40cret@cache:6380/3') });
    expect(redis).toMatchObject({ username: 'app', password: 's@cret', minReplicaAcks: undefined, waitMs: 1_000 });
    expect(redis.tls).toEqual({ ca: undefined, cert: undefined, key: undefined });
    const overridden = loadConfig({ REDIS_URL: 'redis://a:b@cache', REDIS_PASSWORD: 'other' }).state.redis!;
    expect(overridden).toMatchObject({ username: 'a', password: 'other', tls: undefined });
  });

  it('Sentinel: the sentinels, the master name (required), its password and db', () => {
    const redis = loadConfig({
      REDIS_SENTINELS: 's1:26379, [::1]:26380',
      REDIS_SENTINEL_NAME: 'mymaster',
      REDIS_SENTINEL_PASSWORD: 'sp',
      REDIS_DB: '2',
      REDIS_MIN_REPLICA_ACKS: '2',
      REDIS_WAIT_MS: '250',
    }).state.redis!;
    expect(redis.topology).toEqual({
      kind: 'sentinel',
      sentinels: [
        { host: 's1', port: 26379 },
        { host: '::1', port: 26380 },
      ],
      name: 'mymaster',
      sentinelPassword: 'sp',
      db: 2,
    });
    expect(redis).toMatchObject({ minReplicaAcks: 2, waitMs: 250 });
    expect(problems({ REDIS_SENTINELS: 's1:26379' })).toEqual(['REDIS_SENTINEL_NAME is required with REDIS_SENTINELS']);
  });

  it('Cluster: its seed nodes; only one topology at a time; bad addresses named', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'n1:7000,n2:7001' }).state.redis!.topology).toEqual({
      kind: 'cluster',
      nodes: [
        { host: 'n1', port: 7000 },
        { host: 'n2', port: 7001 },
      ],
    });
    expect(problems({ REDIS_URL: 'redis://x', REDIS_CLUSTER_NODES: 'n1:7000' })).toEqual([
      'Set only one of REDIS_URL, REDIS_SENTINELS and REDIS_CLUSTER_NODES (got REDIS_URL, REDIS_CLUSTER_NODES)',
    ]);
    expect(problems({ REDIS_CLUSTER_NODES: 'n1:7000,n2,n3:70000' })).toEqual([
      'REDIS_CLUSTER_NODES must be a comma-separated list of host:port (got "n2")',
      'REDIS_CLUSTER_NODES must be a comma-separated list of host:port (got "n3:70000")',
    ]);
  });

  it('TLS: a PEM inline or from a file; a client certificate needs its key; an unreadable file is named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'smn-pem-'));
    try {
      const caFile = join(dir, 'ca.pem');
      writeFileSync(caFile, 'FROM FILE');
      const redis = loadConfig({
        REDIS_CLUSTER_NODES: 'n1:7000',
        REDIS_TLS_CA: caFile,
        REDIS_TLS_CERT: PEM,
        REDIS_TLS_KEY: PEM,
      }).state.redis!;
      expect(redis.tls).toEqual({
        ca: 'FROM FILE',
        cert: PEM.replace(/\\n/g, '\n'),
        key: PEM.replace(/\\n/g, '\n'),
      });
      expect(problems({ REDIS_URL: 'redis://x', REDIS_TLS_CERT: PEM })).toEqual([
        'REDIS_TLS_CERT and REDIS_TLS_KEY go together (a client certificate and its key)',
      ]);
      expect(problems({ REDIS_URL: 'redis://x', REDIS_TLS_CA: join(dir, 'missing.pem') })).toEqual([
        'REDIS_TLS_CA must be a PEM or the path of a readable PEM file',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the operator command reads only the state settings: no SMN credentials needed', () => {
    const state = loadStateConfig({ NODE_ENV: 'production', REDIS_URL: 'redis://cache', REDIS_KEY_PREFIX: 'p:' });
    expect(state.redis?.topology.kind).toBe('standalone');
    expect(state.keyPrefix).toBe('p:');
    expect(() => loadStateConfig({ REDIS_CLUSTER_NODES: 'nope' })).toThrow(ConfigError);
  });
});
