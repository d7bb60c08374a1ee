import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { mint } from '../helpers/jwks.js';
import { useStack } from '../helpers/stack.js';
import type { TestApp } from '../helpers/app.js';
import {
  apolloManifest,
  clientPresetManifest,
  getWith,
  postBody,
  sha256,
  useManifestFolder,
  writeManifest,
} from '../helpers/trusted-documents.js';
import { SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';

const stack = useStack({ auth: true, app: false });
const folder = useManifestFolder();

const LIMITS = 'query Limits { promotionSmsLimits { maxEndpoints } }';
const PUBLISH = `mutation Publish($input: PublishPromotionSmsInput!) {
  publishPromotionSms(input: $input) { requestId results { __typename ... on SmsSent { messageId } } }
}`;
/** Writes its argument literally: trusted, so it is compiled all the same. */
const TEMPLATE = 'query Template { smsTemplate(id: "tpl_listed") { __typename } }';
const UPDATES = `subscription Updates($requestId: String!) { smsDeliveryUpdates(requestId: $requestId) { messageId } }`;
const ADHOC = '{ promotionSmsLimits { maxEndpoints } }';
const SCOPES = 'sms:promotion:send sms:read';

let manifest: string;
let presetManifest: string;
let token: string;
let adhocToken: string;

beforeAll(async () => {
  await folder.ready;
  manifest = await writeManifest(
    folder.path('apollo.json'),
    apolloManifest([
      { name: 'Limits', body: LIMITS },
      { name: 'Publish', type: 'mutation', body: PUBLISH },
      { name: 'Updates', type: 'subscription', body: UPDATES },
    ]),
  );
  presetManifest = await writeManifest(folder.path('preset.json'), clientPresetManifest([TEMPLATE]));
  token = await mint(stack.key, { scope: SCOPES });
  adhocToken = await mint(stack.key, { scope: `${SCOPES} graphql:adhoc` });
});

const bearer = (value: string) => ({ authorization: `Bearer ${value}` });

async function counted(app: TestApp): Promise<Record<string, number>> {
  const text = await (await fetch(app.metricsUrl)).text();
  return Object.fromEntries(
    [...text.matchAll(/^smn_gateway_trusted_documents_total\{outcome="(\w+)"\} (\d+)/gm)].map((match) => [
      match[1]!,
      Number(match[2]),
    ]),
  );
}

function withMode<T>(mode: string, fn: (app: TestApp) => Promise<T>, extra: Record<string, string> = {}) {
  return stack.withApp(
    { TRUSTED_DOCUMENTS: mode, TRUSTED_DOCUMENTS_MANIFEST: `${manifest},${presetManifest}`, ...extra },
    fn,
  );
}

const LIMITS_DATA = { promotionSmsLimits: { maxEndpoints: expect.any(Number) } };

describe('TRUSTED_DOCUMENTS=require over HTTP', () => {
  it('runs listed documents by documentId (with or without sha256:), the Apollo extension and GET', async () => {
    await withMode('require', async (app) => {
      const id = sha256(LIMITS);
      for (const body of [
        { documentId: `sha256:${id}` },
        { documentId: id },
        { extensions: { persistedQuery: { version: 1, sha256Hash: id } } },
        { query: LIMITS },
      ]) {
        expect(await postBody(app.graphqlUrl, body, bearer(token))).toEqual({ status: 200, data: LIMITS_DATA });
      }
      expect(await getWith(app.graphqlUrl, { documentId: `sha256:${id}` }, bearer(token))).toEqual({
        status: 200,
        data: LIMITS_DATA,
      });
      // A mutation by id sends; a GET may not run one (Apollo's rule, after the id is resolved).
      const input = { endpoints: [SIMULATOR_NUMBERS.delivered], smsTemplateId: 'tpl_listed' };
      const sent = await postBody(app.graphqlUrl, { documentId: sha256(PUBLISH), variables: { input } }, bearer(token));
      expect(sent.status).toBe(200);
      expect(sent.data).toMatchObject({ publishPromotionSms: { results: [{ __typename: 'SmsSent' }] } });
      const viaGet = await getWith(
        app.graphqlUrl,
        { documentId: sha256(PUBLISH), variables: JSON.stringify({ input }) },
        bearer(token),
      );
      expect(viaGet.status).toBe(405);
      // The client preset's format, with a literal in it.
      expect(await postBody(app.graphqlUrl, { documentId: sha256(TEMPLATE) }, bearer(token))).toMatchObject({
        status: 200,
        data: { smsTemplate: { __typename: expect.any(String) } },
      });
      expect(await counted(app)).toEqual({ by_id: 8 });
    });
  });

  it('refuses unknown ids and unlisted text with 400 and its code, before anything runs', async () => {
    await withMode('require', async (app) => {
      const before = (await stack.simulator.requests()).length;
      const unknown = await postBody(app.graphqlUrl, { documentId: `sha256:${'0'.repeat(64)}` }, bearer(token));
      expect(unknown.status).toBe(400);
      expect(unknown.errors?.[0]?.extensions).toMatchObject({
        code: 'PERSISTED_QUERY_NOT_FOUND',
        delivery: 'NOT_SENT',
      });
      const unknownGet = await getWith(app.graphqlUrl, { documentId: 'f'.repeat(64) }, bearer(token));
      expect(unknownGet.status).toBe(400);
      const hash = await postBody(
        app.graphqlUrl,
        { extensions: { persistedQuery: { version: 1, sha256Hash: 'e'.repeat(64) } } },
        bearer(token),
      );
      expect(hash.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

      const input = { endpoints: [SIMULATOR_NUMBERS.delivered], smsTemplateId: 'tpl_adhoc' };
      const adhocSend = await postBody(
        app.graphqlUrl,
        { query: PUBLISH.replace('requestId results', 'results'), variables: { input } },
        bearer(token),
      );
      expect(adhocSend.status).toBe(400);
      expect(adhocSend.errors?.[0]).toMatchObject({
        message: expect.stringContaining('TRUSTED_DOCUMENTS=require'),
        extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED', delivery: 'NOT_SENT' },
      });
      // Refused before it is parsed or validated: an invalid document says nothing about the schema.
      const invalid = await postBody(app.graphqlUrl, { query: '{ noSuchField }' }, bearer(token));
      expect(invalid.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
      const broken = await postBody(app.graphqlUrl, { query: '{ {{{' }, bearer(token));
      expect(broken.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
      expect((await stack.simulator.requests()).length).toBe(before);
      expect(await counted(app)).toEqual({ refused_unknown: 3, refused_not_allowed: 3 });
      // The operation log says what was refused, never the caller's text.
      const refusals = app.logs.entries().filter((entry) => entry.msg === 'GraphQL operation');
      expect(new Set(refusals.map((entry) => entry.operation))).toEqual(new Set(['unknown']));
      expect(refusals.map((entry) => entry.outcome)).toEqual([
        'PERSISTED_QUERY_NOT_FOUND',
        'PERSISTED_QUERY_NOT_FOUND',
        'PERSISTED_QUERY_NOT_FOUND',
        'PERSISTED_QUERY_NOT_ALLOWED',
        'PERSISTED_QUERY_NOT_ALLOWED',
        'PERSISTED_QUERY_NOT_ALLOWED',
      ]);
      expect(JSON.stringify(refusals)).not.toContain('noSuchField');
    });
  });

  it('lets a token with the ad-hoc scope send any document, and router plans through without one', async () => {
    await withMode('require', async (app) => {
      expect(await postBody(app.graphqlUrl, { query: ADHOC }, bearer(adhocToken))).toEqual({
        status: 200,
        data: LIMITS_DATA,
      });
      const service = await postBody(app.graphqlUrl, { query: '{ _service { sdl } }' }, bearer(token));
      expect(service.data).toMatchObject({ _service: { sdl: expect.stringContaining('type SmsSent') } });
      const entities = await postBody(
        app.graphqlUrl,
        {
          query: 'query($r: [_Any!]!) { _entities(representations: $r) { ... on SmsSent { endpoint } } }',
          variables: { r: [{ __typename: 'SmsSent', messageId: 'unknown-message' }] },
        },
        bearer(token),
      );
      expect(entities).toEqual({ status: 200, data: { _entities: [null] } });
      expect(await counted(app)).toEqual({ adhoc: 3 });
    });
  });

  it('a renamed ad-hoc scope is the one that counts', async () => {
    await withMode(
      'require',
      async (app) => {
        const refused = await postBody(app.graphqlUrl, { query: ADHOC }, bearer(adhocToken));
        expect(refused.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_ALLOWED');
        const operator = await mint(stack.key, { scope: `${SCOPES} ops:graphql` });
        expect((await postBody(app.graphqlUrl, { query: ADHOC }, bearer(operator))).data).toEqual(LIMITS_DATA);
      },
      { TRUSTED_DOCUMENTS_ADHOC_SCOPE: 'ops:graphql' },
    );
  });

  it('logs the trusted document id on the operation line', async () => {
    await withMode('require', async (app) => {
      await postBody(app.graphqlUrl, { documentId: sha256(LIMITS) }, bearer(token));
      await postBody(app.graphqlUrl, { query: ADHOC }, bearer(adhocToken));
      const lines = app.logs.entries().filter((entry) => entry.msg === 'GraphQL operation');
      expect(lines.map((entry) => [entry.operation, entry.documentId])).toEqual([
        ['promotionSmsLimits', sha256(LIMITS)],
        ['promotionSmsLimits', undefined],
      ]);
    });
  });
});

describe('TRUSTED_DOCUMENTS=allow and off over HTTP', () => {
  it('allow: ids and any full text run, counted apart; unknown ids are still refused', async () => {
    await withMode('allow', async (app) => {
      expect((await postBody(app.graphqlUrl, { documentId: sha256(LIMITS) }, bearer(token))).data).toEqual(LIMITS_DATA);
      expect((await postBody(app.graphqlUrl, { query: ADHOC }, bearer(token))).data).toEqual(LIMITS_DATA);
      const unknown = await postBody(app.graphqlUrl, { documentId: '1'.repeat(64) }, bearer(token));
      expect([unknown.status, unknown.errors?.[0]?.extensions?.code]).toEqual([400, 'PERSISTED_QUERY_NOT_FOUND']);
      expect(await counted(app)).toEqual({ by_id: 1, adhoc: 1, refused_unknown: 1 });
    });
  });

  it('off: full text runs as before, nothing is counted, and a documentId says trusted documents are off', async () => {
    await withMode('off', async (app) => {
      expect((await postBody(app.graphqlUrl, { query: ADHOC }, bearer(token))).data).toEqual(LIMITS_DATA);
      const byId = await postBody(app.graphqlUrl, { documentId: sha256(LIMITS) }, bearer(token));
      expect(byId.status).toBe(400);
      expect(byId.errors?.[0]).toMatchObject({
        message: expect.stringContaining('TRUSTED_DOCUMENTS=off'),
        extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' },
      });
      expect(await counted(app)).toEqual({});
    });
  });
});

describe('the same rule over the WebSocket', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await (
      await import('../helpers/app.js')
    ).startApp(
      stack.env({
        TRUSTED_DOCUMENTS: 'require',
        TRUSTED_DOCUMENTS_MANIFEST: manifest,
        GRAPHQL_WS_OPERATIONS: 'all',
      }),
    );
  });
  afterAll(async () => app?.close());

  const wsClient = (authorization = token) =>
    createClient({
      url: app.graphqlUrl.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${authorization}` },
      retryAttempts: 0,
    });

  /** One operation over graphql-ws; resolves with what came back (next payloads or the error). */
  async function overWebSocket(payload: Record<string, unknown>, authorization = token) {
    const client = wsClient(authorization);
    try {
      return await new Promise<{ data?: unknown; errors?: unknown }>((resolve) => {
        const results: unknown[] = [];
        client.subscribe(payload as { query: string }, {
          next: (value) => results.push(value),
          error: (error) => resolve({ errors: error }),
          complete: () => resolve((results[0] ?? {}) as { data?: unknown }),
        });
      });
    } finally {
      await client.dispose();
    }
  }

  it('runs a listed document by documentId or by the extension; refuses unknown ids and unlisted text', async () => {
    expect(await overWebSocket({ query: '', documentId: `sha256:${sha256(LIMITS)}` })).toEqual({ data: LIMITS_DATA });
    expect(
      await overWebSocket({
        query: LIMITS,
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(LIMITS) } },
      }),
    ).toEqual({ data: LIMITS_DATA });
    const unknown = await overWebSocket({ query: '', documentId: '0'.repeat(64) });
    expect(unknown.errors).toMatchObject([{ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', delivery: 'NOT_SENT' } }]);
    const adhoc = await overWebSocket({ query: ADHOC });
    expect(adhoc.errors).toMatchObject([{ extensions: { code: 'PERSISTED_QUERY_NOT_ALLOWED', delivery: 'NOT_SENT' } }]);
    expect(await overWebSocket({ query: ADHOC }, adhocToken)).toEqual({ data: LIMITS_DATA });
  });

  it('takes a subscribe message that names its document by id and carries no text at all', async () => {
    const socket = new WebSocket(app.graphqlUrl.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const messages: Array<Record<string, unknown>> = [];
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, unknown>;
      messages.push(message);
      if (message.type === 'connection_ack') {
        socket.send(
          JSON.stringify({ id: '1', type: 'subscribe', payload: { documentId: `sha256:${sha256(LIMITS)}` } }),
        );
      }
      if (message.type === 'complete') socket.close();
    });
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    );
    await closed;
    expect(messages.map((message) => message.type)).toEqual(['connection_ack', 'next', 'complete']);
    expect(messages[1]).toMatchObject({ payload: { data: LIMITS_DATA } });
  });

  it('a listed subscription is established by id', async () => {
    const client = wsClient();
    try {
      const published = await postBody(
        app.graphqlUrl,
        {
          documentId: sha256(PUBLISH),
          variables: { input: { endpoints: [SIMULATOR_NUMBERS.delivered], smsTemplateId: 'tpl_listed' } },
        },
        bearer(token),
      );
      const requestId = (published.data as { publishPromotionSms: { requestId: string } }).publishPromotionSms
        .requestId;
      const received: unknown[] = [];
      const stop = client.subscribe(
        { query: '', documentId: sha256(UPDATES), variables: { requestId } } as { query: string },
        { next: (value) => received.push(value), error: (error) => received.push(error), complete: () => undefined },
      );
      // Established: the operation log records a subscription once it is set up (or refused).
      await vi.waitFor(
        () => {
          const lines = app.logs.entries().filter((entry) => entry.operation === 'smsDeliveryUpdates');
          expect(lines.at(-1)).toMatchObject({ outcome: 'ok', documentId: sha256(UPDATES) });
        },
        { timeout: 5_000, interval: 20 },
      );
      stop();
      expect(received).toEqual([]);
    } finally {
      await client.dispose();
    }
  });
});
