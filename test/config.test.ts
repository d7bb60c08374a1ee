import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, regionEndpoint } from '../src/config/index.js';

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
  it('defaults: port 4000, host 127.0.0.1 (nothing guards the API), timeouts 10000/3000, the simulator when nothing is set', () => {
    expect(loadConfig({})).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
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

  it('bounds the send log: 50000 entries for 72 hours (the report window of SMN) by default, both configurable and checked', () => {
    expect(loadConfig({}).sendLog).toEqual({ maxEntries: 50_000, ttlSeconds: 259_200 });
    expect(loadConfig({ SEND_LOG_MAX_ENTRIES: '10', SEND_LOG_TTL_SECONDS: '60' }).sendLog).toEqual({
      maxEntries: 10,
      ttlSeconds: 60,
    });
    expect(problems({ SEND_LOG_MAX_ENTRIES: '0', SEND_LOG_TTL_SECONDS: 'forever' })).toEqual([
      'SEND_LOG_MAX_ENTRIES must be an integer from 1 to 10000000 (got "0")',
      'SEND_LOG_TTL_SECONDS must be an integer from 1 to 2592000 (got "forever")',
    ]);
  });

  it('is secure by default: real credentials need auth configured, or AUTH_DISABLED=true said out loud', () => {
    const { AUTH_DISABLED: _explicit, ...credentialsOnly } = { ...CREDENTIALS, SMN_REGION: 'cn-north-4' };
    expect(problems(credentialsOnly).join()).toMatch(/authentication is required with real SMN credentials/);
    expect(loadConfig({ ...credentialsOnly, AUTH_DISABLED: 'true' }).auth).toEqual({
      mode: 'disabled',
      explicit: true,
    });
    expect(loadConfig({}).auth).toEqual({ mode: 'disabled', explicit: false });
    const jwt = loadConfig({
      ...credentialsOnly,
      AUTH_JWKS_URL: 'https://id.example/jwks.json',
      AUTH_ISSUER: 'https://id.example/',
      AUTH_AUDIENCE: 'smn-gateway,other',
    }).auth;
    expect(jwt).toMatchObject({
      mode: 'jwt',
      issuer: 'https://id.example/',
      audience: ['smn-gateway', 'other'],
      algorithms: ['RS256', 'ES256'],
      introspection: 'public',
    });
  });

  it('refuses partial auth settings, symmetric algorithms and AUTH_DISABLED mixed with auth settings', () => {
    expect(problems({ AUTH_ISSUER: 'x' }).join()).toMatch(/AUTH_JWKS_URL is required.*AUTH_AUDIENCE is required/);
    expect(
      problems({ AUTH_JWKS_URL: 'https://x/j', AUTH_ISSUER: 'x', AUTH_AUDIENCE: 'a', AUTH_ALGORITHMS: 'HS256,RS256' }),
    ).toEqual([
      'AUTH_ALGORITHMS may list only RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA (got HS256)',
    ]);
    expect(problems({ AUTH_DISABLED: 'true', AUTH_ISSUER: 'x' }).join()).toMatch(/conflicts/);
  });

  it("defaults the send window to Huawei's 07:00-21:00 China time with real SMN, off with the simulator", () => {
    expect(loadConfig({ ...CREDENTIALS, SMN_REGION: 'cn-north-4' }).sendWindow?.text).toBe('07:00-21:00 Asia/Shanghai');
    expect(loadConfig({}).sendWindow).toBeUndefined();
    expect(loadConfig({ ...CREDENTIALS, SMN_REGION: 'cn-north-4', SEND_WINDOW: 'off' }).sendWindow).toBeUndefined();
    expect(loadConfig({ SEND_WINDOW: '22:00-06:00 Europe/Berlin' }).sendWindow?.zone).toBe('Europe/Berlin');
    expect(problems({ SEND_WINDOW: '9 to 5' }).join()).toMatch(/SEND_WINDOW must be/);
  });

  it('checks CORS origins and limits', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://app.example.com, http://localhost:5173' }).graphql.corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:5173',
    ]);
    expect(problems({ CORS_ORIGINS: '*' }).join()).toMatch(/CORS_ORIGINS/);
    expect(problems({ CORS_ORIGINS: 'https://app.example.com/path' }).join()).toMatch(/CORS_ORIGINS/);
    expect(loadConfig({}).limits).toEqual({
      recipientsPerMinute: 5000,
      recipientsPerDay: 50000,
      catalogReadsPerMinute: 60,
      smnCallsPerSecond: 150,
      smnConcurrentCalls: 16,
      smnQueuedCalls: 200,
      smnQueueTimeoutMs: 2000,
      perNumberDailyLimit: 0,
      perNumberDayZone: 'Asia/Shanghai',
    });
  });

  it('reads the per-number daily limit and the zone its days are counted in', () => {
    expect(loadConfig({ PER_NUMBER_DAILY_LIMIT: '10', PER_NUMBER_DAY_ZONE: 'Europe/Berlin' }).limits).toMatchObject({
      perNumberDailyLimit: 10,
      perNumberDayZone: 'Europe/Berlin',
    });
    expect(problems({ PER_NUMBER_DAILY_LIMIT: '-1', PER_NUMBER_DAY_ZONE: 'Mars/Olympus' })).toEqual([
      'PER_NUMBER_DAILY_LIMIT must be an integer from 0 to 1000 (got "-1")',
      'PER_NUMBER_DAY_ZONE must be an IANA time zone such as Asia/Shanghai (got "Mars/Olympus")',
    ]);
  });

  it('reads shared-state settings: REDIS_URL, key prefix, idempotency TTL as a duration or seconds', () => {
    expect(loadConfig({}).state).toEqual({
      redis: undefined,
      keyPrefix: 'smn-gateway:',
      idempotencyTtlMs: 86_400_000,
      idempotencyWaitMs: 15_000,
      idempotencyMemoryMaxBytes: 33_554_432,
    });
    expect(loadConfig({ IDEMPOTENCY_TTL: '2' }).state.idempotencyTtlMs).toBe(2_000);
    expect(loadConfig({ IDEMPOTENCY_TTL: '30m' }).state.idempotencyTtlMs).toBe(1_800_000);
    expect(loadConfig({ IDEMPOTENCY_TTL: '7d' }).state.idempotencyTtlMs).toBe(7 * 86_400_000);
    expect(loadConfig({ REDIS_URL: 'redis://cache:6379/2' }).state.redis?.topology).toMatchObject({
      kind: 'standalone',
      url: new URL('redis://cache:6379/2'),
    });
    expect(problems({ REDIS_URL: 'http://cache', IDEMPOTENCY_TTL: 'forever' })).toEqual([
      'REDIS_URL must be a redis:// or rediss:// URL',
      'IDEMPOTENCY_TTL must be a duration like 24h, 30m or 3600 (seconds) between 1s and 30d (got "forever")',
    ]);
  });

  it('reads the trusted-documents settings: off outside production, allow in it, require on request', () => {
    expect(loadConfig({}).graphql.trustedDocuments).toMatchObject({
      mode: 'off',
      manifests: [],
      adhocScope: 'graphql:adhoc',
      watchIntervalMs: 2_000,
    });
    const production = loadConfig({ NODE_ENV: 'production', SMN_MODE: 'simulator' }).graphql.trustedDocuments;
    expect(production.mode).toBe('allow');
    const required = loadConfig({
      TRUSTED_DOCUMENTS: 'require',
      TRUSTED_DOCUMENTS_MANIFEST: ' web.json , ,service.json ',
      TRUSTED_DOCUMENTS_ADHOC_SCOPE: 'ops:graphql',
    }).graphql.trustedDocuments;
    expect(required).toMatchObject({
      mode: 'require',
      manifests: ['web.json', 'service.json'],
      adhocScope: 'ops:graphql',
    });
    // Off loads nothing, whatever is listed.
    expect(loadConfig({ TRUSTED_DOCUMENTS_MANIFEST: 'web.json' }).graphql.trustedDocuments.manifests).toEqual([]);
    expect(problems({ TRUSTED_DOCUMENTS: 'strict', TRUSTED_DOCUMENTS_ADHOC_SCOPE: 'two scopes' })).toEqual([
      expect.stringContaining('TRUSTED_DOCUMENTS'),
      'TRUSTED_DOCUMENTS_ADHOC_SCOPE must be one scope: printable characters, no spaces',
    ]);
  });

  it('never puts the SK in a problem message', () => {
    expect(problems({ HUAWEICLOUD_SDK_SK: 'super-secret-sk' }).join()).not.toContain('super-secret-sk');
  });

  it('is frozen', () => {
    expect(Object.isFrozen(loadConfig({}))).toBe(true);
  });

  it('reads how delivery reports arrive: callback with the simulator, off with real SMN, poll on request', () => {
    expect(loadConfig({}).events).toMatchObject({
      mode: 'callback',
      certificate: undefined,
      autoConfirm: true,
      pollSeconds: 60,
      optOutKeywords: ['TD', 'T', 'R', 'N', 'STOP', 'UNSUBSCRIBE', '退订', '拒收'],
    });
    const remote = {
      SMN_REGION: 'cn-north-4',
      SMN_PROJECT_ID: 'p',
      HUAWEICLOUD_SDK_AK: 'a',
      HUAWEICLOUD_SDK_SK: 's',
      AUTH_DISABLED: 'true',
    };
    expect(loadConfig(remote).events.mode).toBe('off');
    expect(loadConfig({ ...remote, SMN_EVENTS: 'poll', SMN_REPORT_POLL_SECONDS: '30' }).events).toMatchObject({
      mode: 'poll',
      pollSeconds: 30,
    });
    expect(problems({ SMN_EVENTS: 'push', SMN_EVENTS_CERT: 'not a certificate' })).toEqual([
      'SMN_EVENTS must be one of callback, poll, off (got "push")',
      'SMN_EVENTS_CERT must be a PEM certificate, or the path of a file holding one',
    ]);
  });

  describe('SMN_MODE: production never falls back to the simulator', () => {
    const SMN_NAMES = ['SMN_REGION', 'SMN_ENDPOINT', 'SMN_PROJECT_ID', 'HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK'];

    it('NODE_ENV=production with every SMN_* variable missing fails, naming each missing variable', () => {
      const found = problems({ NODE_ENV: 'production' }).join('\n');
      for (const name of SMN_NAMES) expect(found).toContain(name);
      expect(found).toMatch(/SMN_MODE=simulator/);
    });

    it('names only what is missing, never a value, when production has some of them', () => {
      const found = problems({
        NODE_ENV: 'production',
        SMN_REGION: 'cn-north-4',
        HUAWEICLOUD_SDK_SK: 'mounted-secret',
      });
      expect(found.join('\n')).toMatch(/SMN_PROJECT_ID is required/);
      expect(found.join('\n')).toMatch(/HUAWEICLOUD_SDK_AK is required/);
      expect(found.join('\n')).not.toMatch(/HUAWEICLOUD_SDK_SK is required/);
      expect(found.join('\n')).not.toContain('mounted-secret');
    });

    it('an empty value (a secret mounted empty) is missing too, and so is named', () => {
      const found = problems({
        NODE_ENV: 'production',
        SMN_REGION: 'cn-north-4',
        SMN_PROJECT_ID: 'p1',
        HUAWEICLOUD_SDK_AK: 'AK',
        HUAWEICLOUD_SDK_SK: '  ',
        AUTH_DISABLED: 'true',
      });
      expect(found.join('\n')).toMatch(/HUAWEICLOUD_SDK_SK is required/);
    });

    it('production runs the simulator only with SMN_MODE=simulator said out loud', () => {
      expect(loadConfig({ NODE_ENV: 'production', SMN_MODE: 'simulator' }).smn).toEqual({ mode: 'simulator' });
      expect(loadConfig({ NODE_ENV: 'production', ...CREDENTIALS, SMN_REGION: 'cn-north-4' }).smn.mode).toBe('remote');
    });

    it('outside production nothing set keeps the zero-configuration simulator; SMN_MODE=smn demands the settings', () => {
      expect(loadConfig({}).smn).toEqual({ mode: 'simulator' });
      expect(loadConfig({ NODE_ENV: 'development' }).smn).toEqual({ mode: 'simulator' });
      expect(loadConfig({ SMN_MODE: 'auto' }).smn).toEqual({ mode: 'simulator' });
      const found = problems({ SMN_MODE: 'smn' }).join('\n');
      for (const name of SMN_NAMES) expect(found).toContain(name);
      expect(loadConfig({ SMN_MODE: 'smn', ...CREDENTIALS, SMN_REGION: 'cn-north-4' }).smn.mode).toBe('remote');
    });

    it('refuses SMN_MODE=simulator beside SMN settings (which would be silently ignored), and unknown modes', () => {
      const conflict = problems({ SMN_MODE: 'simulator', SMN_REGION: 'cn-north-4', HUAWEICLOUD_SDK_SK: 'sk-value' });
      expect(conflict.join('\n')).toMatch(/SMN_MODE=simulator conflicts with SMN_REGION, HUAWEICLOUD_SDK_SK/);
      expect(conflict.join('\n')).not.toContain('sk-value');
      expect(problems({ SMN_MODE: 'real' })).toEqual(['SMN_MODE must be one of auto, simulator, smn (got "real")']);
    });
  });

  describe('HOST: an unguarded API listens on loopback unless told otherwise', () => {
    const JWT = {
      AUTH_JWKS_URL: 'https://id.example/jwks.json',
      AUTH_ISSUER: 'https://id.example/',
      AUTH_AUDIENCE: 'smn-gateway',
    };

    it('defaults to 127.0.0.1 with AUTH_DISABLED=true, and when nothing guards the API (the simulator default)', () => {
      expect(loadConfig({ ...CREDENTIALS, SMN_REGION: 'cn-north-4' }).host).toBe('127.0.0.1');
      expect(loadConfig({ AUTH_DISABLED: 'true' }).host).toBe('127.0.0.1');
      expect(loadConfig({ NODE_ENV: 'production', SMN_MODE: 'simulator' }).host).toBe('127.0.0.1');
    });

    it('defaults to 0.0.0.0 when bearer-token auth guards the API', () => {
      expect(loadConfig(JWT).host).toBe('0.0.0.0');
      const { AUTH_DISABLED: _off, ...credentials } = CREDENTIALS;
      expect(loadConfig({ NODE_ENV: 'production', ...credentials, SMN_REGION: 'cn-north-4', ...JWT }).host).toBe(
        '0.0.0.0',
      );
    });

    it('an explicit HOST always wins', () => {
      expect(loadConfig({ AUTH_DISABLED: 'true', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
      expect(loadConfig({ ...JWT, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
    });
  });

  it('bounds campaigns: 100 not yet finished per tenant, 2,000,000 recipients per replica in memory', () => {
    expect(loadConfig({}).campaigns).toMatchObject({ maxOpenPerTenant: 100, memoryMaxRecipients: 2_000_000 });
    expect(
      loadConfig({ CAMPAIGN_MAX_OPEN_PER_TENANT: '5', CAMPAIGN_MEMORY_MAX_RECIPIENTS: '1000' }).campaigns,
    ).toMatchObject({ maxOpenPerTenant: 5, memoryMaxRecipients: 1000 });
    expect(problems({ CAMPAIGN_MAX_OPEN_PER_TENANT: '0', CAMPAIGN_MEMORY_MAX_RECIPIENTS: 'lots' })).toEqual([
      'CAMPAIGN_MAX_OPEN_PER_TENANT must be an integer from 1 to 100000 (got "0")',
      'CAMPAIGN_MEMORY_MAX_RECIPIENTS must be an integer from 1 to 100000000 (got "lots")',
    ]);
  });
});
