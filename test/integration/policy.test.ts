import { afterEach, describe, expect, it, vi } from 'vitest';
import { PublishPromotionSmsDocument } from '../../client/generated.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { useStack } from '../helpers/stack.js';
import { promotionInput } from '../helpers/inputs.js';
import { execute, post } from '../helpers/graphql.js';
import { fixedClock, type Clock } from '../../src/util/clock.js';

const stack = useStack({ app: false });
const apps: TestApp[] = [];

afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
  await stack.simulator.reset();
});

async function appWith(env: Record<string, string>, clock?: Clock): Promise<TestApp> {
  const app = await startApp(stack.env(env), clock ? { clock } : {});
  apps.push(app);
  return app;
}

const input = promotionInput();

describe('the promotional send window', () => {
  it('refuses a send outside the window with OUTSIDE_SEND_WINDOW and nextAllowedAt, sending nothing', async () => {
    const app = await appWith({ SEND_WINDOW: '07:00-21:00 Asia/Shanghai' }, fixedClock('2026-11-27T14:30:00Z'));
    const result = await execute(app.graphqlUrl, PublishPromotionSmsDocument, { input });
    expect(result.data ?? null).toBeNull();
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'OUTSIDE_SEND_WINDOW',
      nextAllowedAt: '2026-11-27T23:00:00.000Z',
      sendWindow: '07:00-21:00 Asia/Shanghai',
      delivery: 'NOT_SENT',
    });
    expect(await stack.simulator.requests()).toEqual([]);
  });

  it('sends inside the window, including one that crosses midnight', async () => {
    const app = await appWith({ SEND_WINDOW: '20:00-02:00 Asia/Shanghai' }, fixedClock('2026-11-27T17:30:00Z'));
    const result = await execute(app.graphqlUrl, PublishPromotionSmsDocument, { input });
    expect(result.errors).toBeUndefined();
    expect((await stack.simulator.requests()).length).toBe(1);
  });
});

describe('the outbound limit toward SMN', () => {
  it('queues briefly, then fails fast with RATE_LIMITED instead of piling calls onto SMN', async () => {
    const app = await appWith({
      SMN_MAX_CONCURRENT_CALLS: '1',
      SMN_MAX_QUEUED_CALLS: '1',
      SMN_QUEUE_TIMEOUT_MS: '300',
    });
    await stack.simulator.fault({ kind: 'latency', latencyMs: 1000, times: 1 });
    const send = (endpoint: string) =>
      execute(app.graphqlUrl, PublishPromotionSmsDocument, { input: { ...input, endpoints: [endpoint] } });
    const first = send('+8613800001001');
    // The first holds the only slot once SMN has it (the simulator answers after 1 s).
    await vi.waitFor(async () => expect(await stack.simulator.requests()).toHaveLength(1), { timeout: 10_000 });
    // Two more at once: whichever reaches the gate first waits for the slot and gives up after 300 ms;
    // the other finds the one queue place taken and is refused at once, so it is answered first.
    const answered: string[] = [];
    const refusal = async (endpoint: string) => {
      const result = await send(endpoint);
      answered.push(result.errors?.[0]?.message ?? 'sent');
      return result.errors?.[0];
    };
    const refused = await Promise.all([refusal('+8613800001002'), refusal('+8613800001003')]);
    for (const error of refused) {
      expect(error?.extensions).toMatchObject({ code: 'RATE_LIMITED', delivery: 'NOT_SENT', retryAfterSeconds: 1 });
    }
    expect(answered).toEqual([
      'Too many SMN calls are waiting; try again in a moment.',
      'No SMN call slot within 300 ms; nothing was sent.',
    ]);
    expect((await first).errors).toBeUndefined();
    const sent = (await stack.simulator.requests()) as Array<{ endpoints: string[] }>;
    expect(sent.map((body) => body.endpoints[0])).toEqual(['+8613800001001']);
  });

  it('starts at most SMN_MAX_CALLS_PER_SECOND calls per second', async () => {
    const app = await appWith({ SMN_MAX_CALLS_PER_SECOND: '2', SMN_QUEUE_TIMEOUT_MS: '200' });
    const results = await Promise.all(
      ['+8613800001001', '+8613800001002', '+8613800001003'].map((endpoint) =>
        execute(app.graphqlUrl, PublishPromotionSmsDocument, { input: { ...input, endpoints: [endpoint] } }),
      ),
    );
    expect(results.map((result) => result.errors?.[0]?.extensions?.code ?? 'SENT').sort()).toEqual([
      'RATE_LIMITED',
      'SENT',
      'SENT',
    ]);
    expect((await stack.simulator.requests()).length).toBe(2);
  });
});

describe('CORS allowlist', () => {
  it('allows listed origins with credentials, and gives other origins nothing', async () => {
    const app = await appWith({ CORS_ORIGINS: 'https://app.example.com' });
    const preflight = (origin: string) =>
      fetch(app.graphqlUrl, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,authorization',
        },
      });
    const allowed = await preflight('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    const denied = await preflight('https://evil.example.com');
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { origin: 'https://evil.example.com', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('introspection and playground switches', () => {
  it('are on by default: introspection answers, the playground page is served, suggestions help', async () => {
    const app = await appWith({});
    expect((await post(app.graphqlUrl, '{ __schema { queryType { name } } }')).errors).toBeUndefined();
    const page = await fetch(app.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const typo = await post(app.graphqlUrl, '{ promotionSmsLimit { maxEndpoints } }');
    expect(typo.errors?.[0]?.message).toMatch(/Did you mean/);
  });

  it('switch off: no introspection, no playground page, and no field suggestions', async () => {
    const app = await appWith({ GRAPHQL_INTROSPECTION: 'false', GRAPHQL_PLAYGROUND: 'false' });
    const introspection = await post(app.graphqlUrl, '{ __schema { queryType { name } } }');
    expect(introspection.errors?.[0]?.message).toMatch(/introspection/i);
    const page = await fetch(app.graphqlUrl, { headers: { accept: 'text/html' } });
    expect(await page.text()).not.toMatch(/<html/i);
    const typo = await post(app.graphqlUrl, '{ promotionSmsLimit { maxEndpoints } }');
    expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
    expect((await post(app.graphqlUrl, '{ _service { sdl } }')).errors).toBeUndefined();
  });
});
