import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.js';

/** Every variable loadConfig reads, found by handing it an environment that records each lookup. */
function variablesRead(): Set<string> {
  const seen = new Set<string>();
  const recording = (env: Record<string, string>) =>
    new Proxy(env, {
      get(target, name) {
        if (typeof name === 'string') seen.add(name);
        return target[name as string];
      },
    });
  loadConfig(recording({}), true);
  // Sentinel's name and password are read only with REDIS_SENTINELS.
  loadConfig(recording({ REDIS_SENTINELS: 's1:26379', REDIS_SENTINEL_NAME: 'm', REDIS_SENTINEL_PASSWORD: 'x' }), true);
  loadConfig(
    recording({
      SMN_REGION: 'cn-north-4',
      SMN_PROJECT_ID: 'p1',
      HUAWEICLOUD_SDK_AK: 'AK',
      HUAWEICLOUD_SDK_SK: 'SK',
      AUTH_JWKS_URL: 'https://id.example/jwks.json',
      AUTH_ISSUER: 'https://id.example/',
      AUTH_AUDIENCE: 'smn-gateway',
      REDIS_URL: 'redis://127.0.0.1:6379',
      METRICS_PORT: '9464',
    }),
    true,
  );
  return seen;
}

/** The variable names in docs/operations.md's configuration table. */
async function documented(): Promise<Set<string>> {
  const operations = await readFile(new URL('../docs/operations.md', import.meta.url), 'utf8');
  const section = operations.split('## Configuration: every environment variable')[1]?.split('\n## ')[0] ?? '';
  return new Set([...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)`/gm)].map((match) => match[1]!));
}

describe('the configuration table in docs/operations.md', () => {
  it('lists exactly the environment variables the service reads', async () => {
    const read = [...variablesRead()].sort();
    expect(read.length).toBeGreaterThan(40);
    expect([...(await documented())].sort()).toEqual(read);
  });
});
