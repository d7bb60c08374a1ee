import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PromotionSmsLimitsDocument, PublishPromotionSmsDocument, SentSmsDocument } from '../generated/operations.js';
import { envFor, startApp, type TestApp } from '../helpers/app.js';
import { execute, post } from '../helpers/graphql.js';
import {
  authEnv,
  hs256WithPublicKey,
  makeKey,
  mint,
  startJwksServer,
  unsignedToken,
  type JwksServer,
  type SigningKey,
} from '../helpers/jwks.js';
import { startSimulatorProcess, type SimulatorProcess } from '../helpers/simulator-process.js';

const SEND = 'sms:promotion:send';
const READ = 'sms:read';

let simulator: SimulatorProcess;
let jwks: JwksServer;
let key: SigningKey;
let app: TestApp;

beforeAll(async () => {
  simulator = await startSimulatorProcess();
  key = await makeKey('key-1');
  jwks = await startJwksServer([key]);
  app = await startApp(envFor(simulator, authEnv(jwks)));
});
afterAll(async () => {
  await app?.close();
  await jwks?.stop();
  await simulator?.stop();
});
beforeEach(async () => {
  await simulator.reset();
  jwks.fail(false);
  jwks.publish([key]);
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const input = { endpoints: ['+8613812345678'], smsTemplateId: 'tpl' };
const publish = (headers: Record<string, string> = {}) =>
  execute(app.graphqlUrl, PublishPromotionSmsDocument, { input }, headers);

describe('authentication: bearer JWTs against a real JWKS', () => {
  it('sends with a valid token that has the send scope, and logs the caller on every line', async () => {
    const token = await mint(key, { scope: `${SEND} ${READ}`, subject: 'alice', claims: { tenant_id: 'acme' } });
    const result = await publish({ ...bearer(token), 'x-request-id': 'auth-ok-1' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.publishPromotionSms.sentCount).toBe(1);
    const lines = app.logs.entries().filter((entry) => entry.requestId === 'auth-ok-1');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.caller).toEqual({ sub: 'alice', tenant: 'acme' });
    expect(app.logs.text).not.toContain(token);
  });

  it('refuses an operation without a token with 401 UNAUTHENTICATED, before anything is sent', async () => {
    const result = await publish();
    expect(result.status).toBe(401);
    expect(result.headers.get('www-authenticate')).toMatch(/^Bearer realm="smn-gateway"/);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await simulator.requests()).toEqual([]);
    const limits = await execute(app.graphqlUrl, PromotionSmsLimitsDocument, {});
    expect(limits.status).toBe(401);
  });

  it('answers introspection and _service without a token (the playground and schema tooling need them)', async () => {
    const introspection = await post(app.graphqlUrl, getIntrospectionQuery());
    expect(introspection.status).toBe(200);
    expect(introspection.errors).toBeUndefined();
    const service = await post(app.graphqlUrl, '{ _service { sdl } }');
    expect(service.errors).toBeUndefined();
    const mixed = await post(app.graphqlUrl, '{ __typename promotionSmsLimits { maxEndpoints } }');
    expect(mixed.status).toBe(401);
  });

  const refusals: Array<[string, () => Promise<string>, RegExp]> = [
    ['an expired token', () => mint(key, { scope: SEND, expiresIn: Math.floor(Date.now() / 1000) - 120 }), /expired/],
    ['a token from another issuer', () => mint(key, { scope: SEND, issuer: 'https://evil.example/' }), /iss/],
    ['a token for another audience', () => mint(key, { scope: SEND, audience: 'other-service' }), /aud/],
    ['an unsigned token (alg: none)', async () => unsignedToken(SEND), /./],
    ['HS256 signed with the public key', () => hs256WithPublicKey(key, SEND), /algorithm/],
    [
      'a token signed by a key the JWKS does not have',
      async () => mint(await makeKey('stranger'), { scope: SEND }),
      /unknown key/,
    ],
    [
      'a token whose signature was tampered with',
      async () => `${(await mint(key, { scope: SEND })).slice(0, -4)}AAAA`,
      /signature/,
    ],
    ['a token that is not a JWT', async () => 'not-a-jwt', /Bearer/],
  ];
  for (const [name, makeToken, reason] of refusals) {
    it(`refuses ${name} with 401 UNAUTHENTICATED and sends nothing`, async () => {
      const result = await publish(bearer(await makeToken()));
      expect(result.status).toBe(401);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.errors?.[0]?.message).toMatch(reason);
      expect(await simulator.requests()).toEqual([]);
    });
  }

  it('refuses a non-Bearer Authorization header', async () => {
    const result = await publish({ authorization: 'Basic dXNlcjpwYXNz' });
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('fetches the JWKS again for an unknown kid, so rotated keys work without a restart', async () => {
    const rotated = await makeKey('key-2', 'ES256');
    jwks.publish([key, rotated]);
    const before = jwks.fetches;
    const result = await publish(bearer(await mint(rotated, { scope: SEND })));
    expect(result.errors).toBeUndefined();
    expect(jwks.fetches).toBeGreaterThan(before);
    const cached = jwks.fetches;
    await publish(bearer(await mint(rotated, { scope: SEND })));
    expect(jwks.fetches).toBe(cached);
  });

  it('answers 503 AUTH_UNAVAILABLE when the JWKS cannot be fetched, and sends nothing', async () => {
    jwks.fail(true);
    const result = await publish(bearer(await mint(await makeKey('key-3'), { scope: SEND })));
    expect(result.status).toBe(503);
    expect(result.errors?.[0]?.extensions?.code).toBe('AUTH_UNAVAILABLE');
    expect(await simulator.requests()).toEqual([]);
  });
});

describe('authorization: scopes', () => {
  it('a valid token without the send scope gets FORBIDDEN and sends nothing', async () => {
    const result = await publish(bearer(await mint(key, { scope: READ })));
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(result.errors?.[0]?.message).toContain(SEND);
    expect(await simulator.requests()).toEqual([]);
  });

  it('read fields need sms:read: limits, sentSms and SmsSent entities', async () => {
    const sendOnly = bearer(await mint(key, { scope: SEND }));
    const reader = bearer(await mint(key, { claims: { scp: [READ] } }));
    const sent = await publish(sendOnly);
    const first = sent.data!.publishPromotionSms.results[0]!;
    const messageId = first.__typename === 'SmsSent' ? first.messageId : '';

    const limits = await execute(app.graphqlUrl, PromotionSmsLimitsDocument, {}, sendOnly);
    expect(limits.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const found = await execute(app.graphqlUrl, SentSmsDocument, { messageId }, sendOnly);
    expect(found.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on SmsSent { endpoint } } }`;
    const denied = await post(app.graphqlUrl, entities, { r: [{ __typename: 'SmsSent', messageId }] }, sendOnly);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    expect((await execute(app.graphqlUrl, PromotionSmsLimitsDocument, {}, reader)).errors).toBeUndefined();
    expect((await execute(app.graphqlUrl, SentSmsDocument, { messageId }, reader)).data?.sentSms?.endpoint).toBe(
      '+8613812345678',
    );
    const allowed = await post<{ _entities: unknown[] }>(
      app.graphqlUrl,
      entities,
      { r: [{ __typename: 'SmsSent', messageId }] },
      reader,
    );
    expect(allowed.data?._entities).toEqual([{ endpoint: '+8613812345678' }]);
  });
});

describe('AUTH_DISABLED=true', () => {
  it('runs unprotected only when said explicitly, and warns at start', async () => {
    const open = await startApp(envFor(simulator, { AUTH_DISABLED: 'true' }));
    try {
      const warning = open.logs.entries().find((entry) => String(entry.msg).startsWith('AUTH_DISABLED=true'));
      expect(warning?.level).toBe(40);
      expect((await execute(open.graphqlUrl, PublishPromotionSmsDocument, { input })).errors).toBeUndefined();
    } finally {
      await open.close();
    }
  });
});

describe('AUTH_INTROSPECTION=token', () => {
  it('requires a token for introspection and _service too', async () => {
    const strict = await startApp(envFor(simulator, authEnv(jwks, { AUTH_INTROSPECTION: 'token' })));
    try {
      expect((await post(strict.graphqlUrl, '{ __schema { queryType { name } } }')).status).toBe(401);
      expect((await post(strict.graphqlUrl, '{ _service { sdl } }')).status).toBe(401);
      const token = bearer(await mint(key, { scope: READ }));
      expect((await post(strict.graphqlUrl, '{ _service { sdl } }', {}, token)).errors).toBeUndefined();
    } finally {
      await strict.close();
    }
  });
});
