import type { IncomingHttpHeaders } from 'node:http';
import { print, type FormattedExecutionResult, type GraphQLFormattedError } from 'graphql';
import { createClient } from 'graphql-ws';
import { describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { PublishPromotionSmsDocument } from '../../client/generated.js';
import type { TestApp } from '../helpers/app.js';
import { post } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { authEnv, makeKey, mint, startJwksServer } from '../helpers/jwks.js';
import { useApp, useStack } from '../helpers/stack.js';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const stack = useStack({ app: false });
/** How long and how often to look again for what the server does after answering (a log line, a freed slot). */
const UNTIL = { timeout: 8_000, interval: 100 };
/** Introspection off, one listed browser origin, the WebSocket for subscriptions only (the default). */
const locked = useApp(stack, { GRAPHQL_INTROSPECTION: 'false', CORS_ORIGINS: 'https://app.example.com' });
/** Every operation over the WebSocket. */
const open = useApp(stack, { GRAPHQL_WS_OPERATIONS: 'all' });

const PHONE = '13812345678';
const SEND = print(PublishPromotionSmsDocument);
const UPDATES = 'subscription Updates($requestId: String!) { smsDeliveryUpdates(requestId: $requestId) { messageId } }';

const wsUrl = (app: TestApp) => app.graphqlUrl.replace(/^http/, 'ws');

interface Payload {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  readonly operationName?: string;
}

interface Answer {
  /** What came as `next` messages. */
  readonly results: FormattedExecutionResult[];
  /** What came as an `error` message (a refusal before execution), if anything. */
  readonly refusal: readonly GraphQLFormattedError[] | undefined;
}

/** Runs one operation over graphql-ws, as a browser client would, until it completes or is refused. */
async function overWebSocket(app: TestApp, payload: Payload, connectionParams: Record<string, unknown> = {}) {
  const client = createClient({ url: wsUrl(app), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0 });
  const results: FormattedExecutionResult[] = [];
  try {
    const refusal = await new Promise<readonly GraphQLFormattedError[] | undefined>((resolve, reject) => {
      client.subscribe(payload, {
        next: (result) => results.push(result as FormattedExecutionResult),
        error: (error) => (Array.isArray(error) ? resolve(error as GraphQLFormattedError[]) : reject(error)),
        complete: () => resolve(undefined),
      });
    });
    return { results, refusal } satisfies Answer;
  } finally {
    await client.dispose();
  }
}

interface Upgrade {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Set when the upgrade was accepted (101). */
  readonly socket?: WebSocket;
}

/** A raw WebSocket upgrade on /graphql: the HTTP status it got, and the socket when it was accepted. */
function upgrade(app: TestApp, options: { origin?: string; localAddress?: string } = {}): Promise<Upgrade> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const socket = new WebSocket(wsUrl(app), 'graphql-transport-ws', {
      ...(options.origin !== undefined && { origin: options.origin }),
      ...(options.localAddress !== undefined && { localAddress: options.localAddress }),
    });
    socket.on('error', (error) => settled || reject(error));
    socket.once('open', () => {
      settled = true;
      resolve({ status: 101, headers: {}, body: '', socket });
    });
    socket.once('unexpected-response', (request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        settled = true;
        request.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      });
    });
  });
}

async function closeAll(sockets: ReadonlyArray<WebSocket | undefined>): Promise<void> {
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (!socket || socket.readyState === WebSocket.CLOSED) return resolve();
          socket.once('close', () => resolve());
          socket.close();
        }),
    ),
  );
}

const metricsOf = async (app: TestApp) => (await fetch(app.metricsUrl)).text();
/** The operation log lines written after the first `since` log lines. */
const operationLines = (app: TestApp, since = 0) =>
  app.logs
    .entries()
    .slice(since)
    .filter((line) => line.msg === 'GraphQL operation');

describe('operations over the WebSocket go through the same pipeline as over HTTP', () => {
  it('GRAPHQL_INTROSPECTION=false: introspection is refused over the WebSocket as over HTTP', async () => {
    const answer = await overWebSocket(locked.app, { query: '{ __schema { queryType { name } } }' });
    expect(answer.results).toEqual([]);
    expect(answer.refusal?.[0]).toMatchObject({
      message: expect.stringMatching(/introspection is not allowed/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED', delivery: 'NOT_SENT' },
    });
    const overHttp = await post(locked.app.graphqlUrl, '{ __schema { queryType { name } } }');
    expect(overHttp.errors?.[0]?.message).toBe(answer.refusal?.[0]?.message);
  });

  it('shows no "Did you mean" suggestions with introspection off (and does with it on)', async () => {
    const typo = { query: 'subscription { smsDeliveryUpdate(requestId: "x") { messageId } }' };
    const hidden = await overWebSocket(locked.app, typo);
    expect(hidden.refusal?.[0]?.message).toBe('Cannot query field "smsDeliveryUpdate" on type "Subscription".');
    const shown = await overWebSocket(open.app, typo);
    expect(shown.refusal?.[0]?.message).toMatch(/Did you mean "smsDeliveryUpdates"/);
  });

  it('never echoes a phone number from a variable or a literal that fails coercion', async () => {
    const variable = await overWebSocket(locked.app, { query: UPDATES, variables: { requestId: Number(PHONE) } });
    expect(variable.refusal?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', delivery: 'NOT_SENT', validationErrors: [{ field: 'requestId' }] },
    });
    const literal = await overWebSocket(locked.app, {
      query: `subscription { smsDeliveryUpdates(requestId: ${PHONE}) { messageId } }`,
    });
    expect(literal.refusal?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const send = await overWebSocket(open.app, {
      query: SEND,
      variables: { input: { endpoints: [Number(PHONE)], smsTemplateId: 'tpl' } },
    });
    expect(send.refusal?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', validationErrors: [{ field: 'input.endpoints[0]' }] },
    });
    for (const answer of [variable, literal, send]) expect(JSON.stringify(answer)).not.toContain(PHONE);
    for (const app of [locked.app, open.app]) expect(app.logs.text).not.toContain(PHONE);
  });

  it('refuses a query or mutation by default (BAD_REQUEST, nothing sent); GRAPHQL_WS_OPERATIONS=all runs it', async () => {
    const before = (await stack.simulator.requests()).length;
    const refused = await overWebSocket(locked.app, { query: SEND, variables: { input: promotionInput() } });
    expect(refused.results).toEqual([]);
    expect(refused.refusal?.[0]).toMatchObject({
      message: 'Queries and mutations run over HTTP on this path, not over the WebSocket (it runs subscriptions only).',
      extensions: { code: 'BAD_REQUEST', delivery: 'NOT_SENT' },
    });
    const query = await overWebSocket(locked.app, { query: '{ promotionSmsLimits { maxEndpoints } }' });
    expect(query.refusal?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(await stack.simulator.requests()).toHaveLength(before);

    const sent = await overWebSocket(open.app, { query: SEND, variables: { input: promotionInput() } });
    expect(sent.refusal).toBeUndefined();
    expect(sent.results[0]?.data).toMatchObject({ publishPromotionSms: { sentCount: 1 } });
    expect(await stack.simulator.requests()).toHaveLength(before + 1);
  });

  it('a wrong operationName is refused before anything runs (OPERATION_RESOLUTION_FAILURE), as over HTTP', async () => {
    const before = (await stack.simulator.requests()).length;
    const answer = await overWebSocket(open.app, {
      query: SEND,
      variables: { input: promotionInput() },
      operationName: 'Other',
    });
    expect(answer.refusal?.[0]?.extensions).toMatchObject({
      code: 'OPERATION_RESOLUTION_FAILURE',
      delivery: 'NOT_SENT',
    });
    expect(await stack.simulator.requests()).toHaveLength(before);
  });

  it('each operation gets the HTTP log line (request id, caller) and is counted in the same metrics', async () => {
    const since = open.app.logs.lines.length;
    const sent = await overWebSocket(open.app, { query: SEND, variables: { input: promotionInput() } });
    expect(sent.results[0]?.errors).toBeUndefined();
    const sendLine = operationLines(open.app, since).find((line) => line.transport === 'websocket');
    expect(sendLine).toMatchObject({
      operation: 'publishPromotionSms',
      operationName: 'PublishPromotionSms',
      outcome: 'ok',
      recipients: 1,
      sentCount: 1,
      requestId: expect.any(String),
      caller: { sub: 'anonymous' },
    });

    const { requestId } = (await publish(open.app)).data!.publishPromotionSms;
    const client = createClient({ url: wsUrl(open.app), webSocketImpl: WebSocket, retryAttempts: 0 });
    const unsubscribe = client.subscribe(
      { query: UPDATES, variables: { requestId } },
      {
        next: () => undefined,
        error: () => undefined,
        complete: () => undefined,
      },
    );
    try {
      const line = await vi.waitFor(() => {
        const found = operationLines(open.app, since).find((entry) => entry.operation === 'smsDeliveryUpdates');
        expect(found).toBeDefined();
        return found!;
      }, UNTIL);
      expect(line).toMatchObject({ operationName: 'Updates', outcome: 'ok', transport: 'websocket' });
    } finally {
      unsubscribe();
      await client.dispose();
    }
    await overWebSocket(locked.app, { query: SEND, variables: { input: promotionInput() } });
    expect(operationLines(locked.app).at(-1)).toMatchObject({
      operation: 'publishPromotionSms',
      outcome: 'BAD_REQUEST',
    });

    const openMetrics = await metricsOf(open.app);
    expect(openMetrics).toMatch(
      /smn_gateway_graphql_operations_total\{operation="smsDeliveryUpdates",outcome="ok"\} 1\n/,
    );
    expect(openMetrics).toMatch(
      /smn_gateway_graphql_operations_total\{operation="publishPromotionSms",outcome="ok"\} [1-9]/,
    );
    expect(openMetrics).toMatch(/smn_gateway_messages_total\{result="sent",code=""[^}]*\} [1-9]/);
    expect(await metricsOf(locked.app)).toMatch(
      /smn_gateway_graphql_operations_total\{operation="publishPromotionSms",outcome="BAD_REQUEST"\} [1-9]/,
    );
  });

  it('a token-less caller (AUTH_INTROSPECTION=public) gets introspection only, as over HTTP', async () => {
    const key = await makeKey('ws-key');
    const jwks = await startJwksServer([key]);
    try {
      await stack.withApp(authEnv(jwks, { GRAPHQL_WS_OPERATIONS: 'all' }), async (app) => {
        const limits = { query: '{ promotionSmsLimits { maxEndpoints } }' };
        expect((await overWebSocket(app, limits)).refusal?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
        expect((await overWebSocket(app, { query: '{ __typename }' })).results[0]?.data).toEqual({
          __typename: 'Query',
        });
        const token = await mint(key, { scope: 'sms:read' });
        const allowed = await overWebSocket(app, limits, { authorization: `Bearer ${token}` });
        expect(allowed.results[0]?.data).toMatchObject({ promotionSmsLimits: { maxEndpoints: expect.any(Number) } });
      });
    } finally {
      await jwks.stop();
    }
  });
});

describe('the WebSocket upgrade', () => {
  it('checks Origin against CORS_ORIGINS: another site 403; a listed origin, the own playground and no Origin 101', async () => {
    const app = locked.app;
    const otherPortOfOurs = `http://127.0.0.1:${Number(new URL(app.url).port) + 1}`;
    const foreign = ['https://evil.example.com', 'null', 'https://app.example.com.evil.example', otherPortOfOurs];
    for (const origin of foreign) {
      const refused = await upgrade(app, { origin });
      expect(refused.status).toBe(403);
      expect(refused.socket).toBeUndefined();
    }
    const accepted = await Promise.all([
      upgrade(app, { origin: 'https://app.example.com' }),
      upgrade(app, { origin: app.url }),
      upgrade(app),
    ]);
    expect(accepted.map((answer) => answer.status)).toEqual([101, 101, 101]);
    await closeAll(accepted.map((answer) => answer.socket));
    expect(await metricsOf(app)).toMatch(/smn_gateway_websocket_upgrades_refused_total\{reason="origin"\} 4\n/);
  });

  it('caps connections per replica (503) and per IP address (429); a closed one frees its slot', async () => {
    await stack.withApp({ WS_MAX_CONNECTIONS: '3', WS_MAX_CONNECTIONS_PER_IP: '2' }, async (app) => {
      // Ten at once from one address: two get in, the rest are over that address's share.
      const burst = await Promise.all(Array.from({ length: 10 }, () => upgrade(app)));
      expect(burst.filter((answer) => answer.status === 101)).toHaveLength(2);
      expect(burst.filter((answer) => answer.status === 429)).toHaveLength(8);
      const other = await upgrade(app, { localAddress: '127.0.0.2' });
      expect(other.status).toBe(101);
      const full = await upgrade(app, { localAddress: '127.0.0.3' });
      expect(full.status).toBe(503);
      expect(full.headers['retry-after']).toBe('5');
      expect(await metricsOf(app)).toMatch(/smn_gateway_websocket_connections 3\n/);

      await closeAll([other.socket]);
      const again = await vi.waitFor(async () => {
        const answer = await upgrade(app, { localAddress: '127.0.0.3' });
        expect(answer.status).toBe(101);
        return answer;
      }, UNTIL);
      const metrics = await metricsOf(app);
      expect(metrics).toMatch(/smn_gateway_websocket_upgrades_refused_total\{reason="connections_per_ip"\} 8\n/);
      expect(metrics).toMatch(/smn_gateway_websocket_upgrades_refused_total\{reason="connections"\} [1-9]/);
      await closeAll([...burst.map((answer) => answer.socket), again.socket]);
    });
  });

  it('closes a connection that sends no connection_init in time (4408) and frees its slot', async () => {
    const env = { WS_CONNECTION_INIT_TIMEOUT_MS: '300', WS_MAX_CONNECTIONS: '1', GRAPHQL_PLAYGROUND: 'false' };
    await stack.withApp(env, async (app) => {
      const idle = await upgrade(app);
      expect(idle.status).toBe(101);
      const opened = performance.now();
      const code = await new Promise<number>((resolve) =>
        idle.socket!.once('close', (closeCode) => resolve(closeCode)),
      );
      expect(code).toBe(4408);
      expect(performance.now() - opened).toBeGreaterThan(200);
      const next = await vi.waitFor(async () => {
        const answer = await upgrade(app);
        expect(answer.status).toBe(101);
        return answer;
      }, UNTIL);
      await closeAll([next.socket]);
      // Without the playground, the service's own origin is just another site.
      expect((await upgrade(app, { origin: app.url })).status).toBe(403);
    });
  });
});

describe('the WebSocket settings', () => {
  it('default to subscriptions only, 1000 connections, 50 per address and 5 s for connection_init', () => {
    expect(loadConfig({}).graphql.ws).toEqual({
      operations: 'subscriptions',
      maxConnections: 1000,
      maxConnectionsPerIp: 50,
      connectionInitTimeoutMs: 5000,
    });
    expect(loadConfig({ GRAPHQL_WS_OPERATIONS: 'all' }).graphql.ws.operations).toBe('all');
    for (const env of [
      { GRAPHQL_WS_OPERATIONS: 'queries' },
      { WS_MAX_CONNECTIONS: '0' },
      { WS_MAX_CONNECTIONS_PER_IP: '-1' },
    ]) {
      expect(() => loadConfig(env)).toThrow(ConfigError);
    }
  });
});
