import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, regionEndpoint } from '../src/config.js';

const CREDENTIALS = { SMN_PROJECT_ID: 'p1', HUAWEICLOUD_SDK_AK: 'AK', HUAWEICLOUD_SDK_SK: 'SK', AUTH_DISABLED: 'true' };

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('defaults: port 4000, host 0.0.0.0, timeouts 10000/3000, the simulator when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      smnTimeoutMs: 10_000,
      smnConnectTimeoutMs: 3000,
      production: false,
      smn: { mode: 'simulator' },
    });
  });

  it('derives the endpoint from SMN_REGION, including the two regions outside myhuaweicloud.com', () => {
    const config = loadConfig({ ...CREDENTIALS, SMN_REGION: 'cn-north-4' });
    expect(config.smn.mode === 'remote' && config.smn.endpoint.href).toBe('https://smn.cn-north-4.myhuaweicloud.com/');
    expect(regionEndpoint('cn-north-2')).toBe('https://smn.cn-north-2.myhuaweicloud.cn');
    expect(regionEndpoint('eu-west-101')).toBe('https://smn.eu-west-101.myhuaweicloud.eu');
  });

  it('accepts SMN_ENDPOINT over http for local use, and an optional security token', () => {
    const config = loadConfig({
      ...CREDENTIALS,
      SMN_ENDPOINT: 'http://127.0.0.1:9000',
      HUAWEICLOUD_SDK_SECURITY_TOKEN: 'tok',
    });
    expect(config.smn).toMatchObject({
      mode: 'remote',
      projectId: 'p1',
      credentials: { ak: 'AK', sk: 'SK', securityToken: 'tok' },
    });
  });

  it('reports every problem at once, and never falls back to the simulator on partial credentials', () => {
    const found = problems({ SMN_REGION: 'cn-north-4', PORT: '99999', SMN_TIMEOUT_MS: 'soon', LOG_LEVEL: 'loud' });
    expect(found.join('\n')).toMatch(/PORT/);
    expect(found.join('\n')).toMatch(/SMN_TIMEOUT_MS/);
    expect(found.join('\n')).toMatch(/LOG_LEVEL/);
    expect(found.join('\n')).toMatch(/SMN_PROJECT_ID is required/);
    expect(found.join('\n')).toMatch(/HUAWEICLOUD_SDK_AK is required/);
    expect(found.join('\n')).toMatch(/HUAWEICLOUD_SDK_SK is required/);
  });

  it('refuses both SMN_ENDPOINT and SMN_REGION, bad URLs, bad project ids and inverted timeouts', () => {
    expect(problems({ ...CREDENTIALS, SMN_ENDPOINT: 'http://x', SMN_REGION: 'cn-north-4' }).join()).toMatch(/not both/);
    expect(problems({ ...CREDENTIALS, SMN_ENDPOINT: 'ftp://x' }).join()).toMatch(/SMN_ENDPOINT/);
    expect(problems({ ...CREDENTIALS, SMN_ENDPOINT: 'https://user:pw@x' }).join()).toMatch(/SMN_ENDPOINT/);
    expect(problems({ ...CREDENTIALS, SMN_REGION: 'cn-north-4', SMN_PROJECT_ID: '../x' }).join()).toMatch(
      /SMN_PROJECT_ID/,
    );
    expect(problems({ SMN_TIMEOUT_MS: '1000', SMN_CONNECT_TIMEOUT_MS: '2000' }).join()).toMatch(/must not exceed/);
  });

  it('bounds the send log: 50000 entries for a day by default, both configurable and checked', () => {
    expect(loadConfig({}).sendLog).toEqual({ maxEntries: 50_000, ttlSeconds: 86_400 });
    expect(loadConfig({ SEND_LOG_MAX_ENTRIES: '10', SEND_LOG_TTL_SECONDS: '60' }).sendLog).toEqual({
      maxEntries: 10,
      ttlSeconds: 60,
    });
    expect(problems({ SEND_LOG_MAX_ENTRIES: '0', SEND_LOG_TTL_SECONDS: 'forever' })).toEqual([
      'SEND_LOG_MAX_ENTRIES must be an integer from 1 to 10000000 (got "0")',
      'SEND_LOG_TTL_SECONDS must be an integer from 1 to 2592000 (got "forever")',
    ]);
  });

  it('never puts the SK in a problem message', () => {
    expect(problems({ HUAWEICLOUD_SDK_SK: 'super-secret-sk' }).join()).not.toContain('super-secret-sk');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });
});
