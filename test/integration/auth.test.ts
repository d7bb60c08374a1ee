import { getIntrospectionQuery } from 'graphql';
import { beforeEach, describe, expect, it } from 'vitest';
import { PromotionSmsLimitsDocument, PublishPromotionSmsDocument, SentSmsDocument } from '../../client/generated.js';
import { envFor } from '../helpers/app.js';
import { useStack, withApp } from '../helpers/stack.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { execute, post } from '../helpers/graphql.js';
import { hs256WithPublicKey, makeKey, mint, unsignedToken } from '../helpers/jwks.js';

const SEND = 'sms:promotion:send';
const READ = 'sms:read';

const stack = useStack({ auth: true });
beforeEach(async () => {
  await stack.simulator.reset();
  stack.jwks.fail(false);
  stack.jwks.publish([stack.key]);
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const input = promotionInput();
const send = (headers: Record<string, string> = {}) => publish(stack.app, input, headers);

describe('authentication: bearer JWTs against a real JWKS', () => {
  it('sends with a valid token that has the send scope, and logs the caller on every line', async () => {
    const token = await mint(stack.key, { scope: `${SEND} ${READ}`, subject: 'alice', claims: { tenant_id: 'acme' } });
    const result = await send({ ...bearer(token), 'x-request-id': 'auth-ok-1' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.publishPromotionSms.sentCount).toBe(1);
    const lines = stack.app.logs.entries().filter((entry) => entry.requestId === 'auth-ok-1');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.caller).toEqual({ sub: 'alice', tenant: 'acme' });
    expect(stack.app.logs.text).not.toContain(token);
  });

  it('refuses an operation without a token with 401 UNAUTHENTICATED, before anything is sent', async () => {
    const result = await send();
    expect(result.status).toBe(401);
    expect(result.headers.get('www-authenticate')).toMatch(/^Bearer realm="smn-gateway"/);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(await stack.simulator.requests()).toEqual([]);
    const limits = await execute(stack.app.graphqlUrl, PromotionSmsLimitsDocument, {});
    expect(limits.status).toBe(401);
  });

  it('answers introspection and _service without a token (the playground and schema tooling need them)', async () => {
    const introspection = await post(stack.app.graphqlUrl, getIntrospectionQuery());
    expect(introspection.status).toBe(200);
    expect(introspection.errors).toBeUndefined();
    const service = await post(stack.app.graphqlUrl, '{ _service { sdl } }');
    expect(service.errors).toBeUndefined();
    const mixed = await post(stack.app.graphqlUrl, '{ __typename promotionSmsLimits { maxEndpoints } }');
    expect(mixed.status).toBe(401);
  });

  const refusals: Array<[string, () => Promise<string>, RegExp]> = [
    [
      'an expired token',
      () => mint(stack.key, { scope: SEND, expiresIn: Math.floor(Date.now() / 1000) - 120 }),
      /expired/,
    ],
    ['a token from another issuer', () => mint(stack.key, { scope: SEND, issuer: 'https://evil.example/' }), /iss/],
    ['a token for another audience', () => mint(stack.key, { scope: SEND, audience: 'other-service' }), /aud/],
    ['an unsigned token (alg: none)', async () => unsignedToken(SEND), /./],
    ['HS256 signed with the public key', () => hs256WithPublicKey(stack.key, SEND), /algorithm/],
    [
      'a token signed by a key the JWKS does not have',
      async () => mint(await makeKey('stranger'), { scope: SEND }),
      /unknown key/,
    ],
    [
      'a token whose signature was tampered with',
      async () => `${(await mint(stack.key, { scope: SEND })).slice(0, -4)}AAAA`,
      /signature/,
    ],
    ['a token that is not a JWT', async () => 'not-a-jwt', /Bearer/],
  ];
  for (const [name, makeToken, reason] of refusals) {
    it(`refuses ${name} with 401 UNAUTHENTICATED and sends nothing`, async () => {
      const result = await send(bearer(await makeToken()));
      expect(result.status).toBe(401);
      expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(result.errors?.[0]?.message).toMatch(reason);
      expect(result.headers.get('www-authenticate')).toMatch(
        /^Bearer realm="smn-gateway", error="(invalid_token|invalid_request)", error_description="[^"\\]*"$/,
      );
      expect(await stack.simulator.requests()).toEqual([]);
    });
  }

  it('takes the scheme in any case and after several spaces (RFC 9110, RFC 6750)', async () => {
    const token = await mint(stack.key, { scope: READ });
    for (const authorization of [`bearer ${token}`, `BEARER ${token}`, `Bearer  ${token}`, `bEaReR   ${token}`]) {
      const result = await execute(stack.app.graphqlUrl, PromotionSmsLimitsDocument, {}, { authorization });
      expect(result.status, authorization.slice(0, 12)).toBe(200);
      expect(result.errors).toBeUndefined();
    }
  });

  it('refuses a non-Bearer Authorization header', async () => {
    const result = await send({ authorization: 'Basic dXNlcjpwYXNz' });
    expect(result.status).toBe(401);
    expect(result.headers.get('www-authenticate')).toMatch(/^Bearer realm="smn-gateway", error="invalid_request"/);
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('fetches the JWKS again for an unknown kid, so rotated keys work without a restart', async () => {
    const rotated = await makeKey('key-2', 'ES256');
    stack.jwks.publish([stack.key, rotated]);
    const before = stack.jwks.fetches;
    const result = await send(bearer(await mint(rotated, { scope: SEND })));
    expect(result.errors).toBeUndefined();
    expect(stack.jwks.fetches).toBeGreaterThan(before);
    const cached = stack.jwks.fetches;
    await send(bearer(await mint(rotated, { scope: SEND })));
    expect(stack.jwks.fetches).toBe(cached);
  });

  it('answers 503 AUTH_UNAVAILABLE when the JWKS cannot be fetched, and sends nothing', async () => {
    stack.jwks.fail(true);
    const result = await send(bearer(await mint(await makeKey('key-3'), { scope: SEND })));
    expect(result.status).toBe(503);
    expect(result.errors?.[0]?.extensions?.code).toBe('AUTH_UNAVAILABLE');
    expect(await stack.simulator.requests()).toEqual([]);
  });
});

describe('authorization: scopes', () => {
  it('a valid token without the send scope gets FORBIDDEN and sends nothing', async () => {
    const result = await send(bearer(await mint(stack.key, { scope: READ })));
    expect(result.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(result.errors?.[0]?.message).toContain(SEND);
    expect(await stack.simulator.requests()).toEqual([]);
  });

  it('read fields need sms:read: limits, sentSms and SmsSent entities', async () => {
    const sendOnly = bearer(await mint(stack.key, { scope: SEND }));
    const reader = bearer(await mint(stack.key, { claims: { scp: [READ] } }));
    const sent = await send(sendOnly);
    const first = sent.data!.publishPromotionSms.results[0]!;
    const messageId = first.__typename === 'SmsSent' ? first.messageId : '';

    const limits = await execute(stack.app.graphqlUrl, PromotionSmsLimitsDocument, {}, sendOnly);
    expect(limits.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const found = await execute(stack.app.graphqlUrl, SentSmsDocument, { messageId }, sendOnly);
    expect(found.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const entities = `query($r: [_Any!]!) { _entities(representations: $r) { ... on SmsSent { endpoint } } }`;
    const denied = await post(stack.app.graphqlUrl, entities, { r: [{ __typename: 'SmsSent', messageId }] }, sendOnly);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    expect((await execute(stack.app.graphqlUrl, PromotionSmsLimitsDocument, {}, reader)).errors).toBeUndefined();
    expect((await execute(stack.app.graphqlUrl, SentSmsDocument, { messageId }, reader)).data?.sentSms?.endpoint).toBe(
      '+8613812345678',
    );
    const allowed = await post<{ _entities: unknown[] }>(
      stack.app.graphqlUrl,
      entities,
      { r: [{ __typename: 'SmsSent', messageId }] },
      reader,
    );
    expect(allowed.data?._entities).toEqual([{ endpoint: '+8613812345678' }]);
  });
});

describe('the playground with auth on', () => {
  it('is served without a token, and its tabs carry an Authorization header to fill in', async () => {
    const page = await fetch(stack.app.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const config = /<script id="playground-config" type="application\/json">(.*?)<\/script>/s.exec(await page.text());
    const tabs = (JSON.parse(config![1]!) as { tabs: Array<{ headers?: string }> }).tabs;
    expect(tabs.length).toBeGreaterThan(0);
    for (const tab of tabs) expect(JSON.parse(tab.headers!)).toEqual({ Authorization: 'Bearer <your token>' });
  });
});

describe('AUTH_DISABLED=true', () => {
  it('runs unprotected only when said explicitly, and warns at start', async () => {
    // Without the stack's AUTH_* settings: AUTH_DISABLED=true alone.
    await withApp(envFor(stack.simulator, { AUTH_DISABLED: 'true' }), async (open) => {
      const warning = open.logs.entries().find((entry) => String(entry.msg).startsWith('AUTH_DISABLED=true'));
      expect(warning?.level).toBe(40);
      expect((await execute(open.graphqlUrl, PublishPromotionSmsDocument, { input })).errors).toBeUndefined();
    });
  });
});

describe('AUTH_INTROSPECTION=token', () => {
  it('requires a token for introspection and _service too', async () => {
    await stack.withApp({ AUTH_INTROSPECTION: 'token' }, async (strict) => {
      expect((await post(strict.graphqlUrl, '{ __schema { queryType { name } } }')).status).toBe(401);
      expect((await post(strict.graphqlUrl, '{ _service { sdl } }')).status).toBe(401);
      const token = bearer(await mint(stack.key, { scope: READ }));
      expect((await post(strict.graphqlUrl, '{ _service { sdl } }', {}, token)).errors).toBeUndefined();
    });
  });

  it('reveals nothing about the schema without a token: no validation, no "Did you mean"', async () => {
    await stack.withApp({ AUTH_INTROSPECTION: 'token' }, async (strict) => {
      for (const query of [
        'mutation { publishPromotionSm { requestId } }',
        '{ promotionSmsLimit { maxEndpoint } }',
        '{',
      ]) {
        const result = await post(strict.graphqlUrl, query);
        expect(result.status).toBe(401);
        expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
        expect(result.text).not.toMatch(/Did you mean|publishPromotionSms|promotionSmsLimits|Syntax Error/);
      }
    });
  });
});
