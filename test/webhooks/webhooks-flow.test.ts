import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AddOptOutsDocument,
  CreateWebhookEndpointDocument,
  DeleteWebhookEndpointDocument,
  RemoveOptOutsDocument,
  RotateWebhookSecretDocument,
  WebhookDeliveriesDocument,
  WebhookEndpointsDocument,
  type WebhookEvent,
} from '../../client/index.js';
import { SIMULATOR_ENDINGS } from '../../src/simulator/numbers.js';
import { closeServer, listen } from '../../src/util/listen.js';
import type { TestApp } from '../helpers/app.js';
import { addRecipients, createCampaign, metricValue, NO_QUOTA, numbers, startCampaign } from '../helpers/campaigns.js';
import { startEventsApp } from '../helpers/events.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput } from '../helpers/inputs.js';
import { mint } from '../helpers/jwks.js';
import { REDIS_URL, redisForTests, uniquePrefix } from '../helpers/redis.js';
import { useStack } from '../helpers/stack.js';
import { PublishPromotionSmsDocument } from '../../client/index.js';

/**
 * Webhooks end to end: the real app with SMN_EVENTS=callback, the simulator process posting delivery
 * reports and replies, and a real receiver that verifies every delivery with the standardwebhooks
 * library. Run on the in-process queue and on BullMQ with Redis.
 */

const stack = useStack({ auth: true, app: false, env: NO_QUOTA, simulatorEnv: { SIMULATOR_REPORT_DELAY_MS: '100' } });
const ALL_EVENTS: WebhookEvent[] = [
  'MESSAGE_DELIVERY_CHANGED',
  'REPLY_RECEIVED',
  'OPT_OUT_CHANGED',
  'CAMPAIGN_STATUS_CHANGED',
] as WebhookEvent[];

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
  readonly body: { type: string; timestamp: string; data: Record<string, unknown> };
}

/** A backend's webhook receiver: keeps what it got; answers 500 to the first `flaky` posts on /flaky. */
function receiver() {
  const received: Received[] = [];
  let flaky = 2;
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (path === '/flaky' && flaky > 0) {
        flaky -= 1;
        res.writeHead(500).end('try later');
        return;
      }
      received.push({ path, headers: req.headers, raw, body: JSON.parse(raw) as Received['body'] });
      res.writeHead(200).end('thanks');
    });
  });
  return {
    received,
    server,
    url: (path: string) => `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    of: (path: string, type: string) => received.filter((entry) => entry.path === path && entry.body.type === type),
  };
}

/** Verifies as a receiver would, with the secret the create (or rotate) answered. */
function verified(secret: string, entry: Received) {
  return new Webhook(secret).verify(entry.raw, {
    'webhook-id': String(entry.headers['webhook-id']),
    'webhook-timestamp': String(entry.headers['webhook-timestamp']),
    'webhook-signature': String(entry.headers['webhook-signature']),
  });
}

const redisAvailable = await redisForTests();
const engines = [
  { engine: 'in-process queue', env: {} as Record<string, string> },
  ...(redisAvailable ? [{ engine: 'BullMQ on Redis', env: { REDIS_URL } as Record<string, string> }] : []),
];

let tenantSeq = 0;
let numberSeq = 5000 + Math.floor(Math.random() * 4000);
/** A fresh number; its last four digits too (a masked reply shows only those and the first three). */
const freshNumber = (ending?: string) => {
  numberSeq += 1;
  return `+86137${String(numberSeq).padStart(4, '0')}${ending ?? String(numberSeq).padStart(4, '0')}`;
};

describe.each(engines)('webhooks ($engine)', ({ env }) => {
  let app: TestApp;
  const hooks = receiver();
  const tenant = `t${(tenantSeq += 1)}-${Date.now()}`;
  const as = async (who = tenant, scope = 'sms:webhooks:write sms:promotion:send sms:read sms:optout:write') => ({
    authorization: `Bearer ${await mint(stack.key, { scope, subject: `${who}-user`, claims: { tenant_id: who } })}`,
  });
  const create = async (path: string, events = ALL_EVENTS, who = tenant) => {
    const result = await execute(
      app.graphqlUrl,
      CreateWebhookEndpointDocument,
      { input: { url: hooks.url(path), events, description: 'test receiver' } },
      await as(who),
    );
    expect(result.errors).toBeUndefined();
    return result.data!.createWebhookEndpoint;
  };

  beforeAll(async () => {
    await listen(hooks.server, 0, '127.0.0.1');
    const redis = env.REDIS_URL ? { REDIS_KEY_PREFIX: uniquePrefix() } : {};
    app = await startEventsApp(stack, { ...env, ...redis, WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  afterAll(async () => {
    await app?.close();
    await closeServer(hooks.server);
  });

  it('management: scope, create (secret once), list, rotate, delete; another tenant sees none of it', async () => {
    const refused = await execute(app.graphqlUrl, WebhookEndpointsDocument, {}, await as(tenant, 'sms:read'));
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const created = await create('/managed', ['REPLY_RECEIVED'] as WebhookEvent[]);
    expect(created.secret).toMatch(/^whsec_/);
    const id = created.endpoint.id;
    const listed = await execute(app.graphqlUrl, WebhookEndpointsDocument, {}, await as());
    expect(listed.data?.webhookEndpoints.map((endpoint) => endpoint.id)).toContain(id);
    expect(listed.text).not.toContain(created.secret);

    // Forged ids across tenants: the other tenant's answers are those of an unknown id.
    const intruder = await as(`${tenant}-intruder`);
    expect((await execute(app.graphqlUrl, WebhookEndpointsDocument, {}, intruder)).data?.webhookEndpoints).toEqual([]);
    expect((await execute(app.graphqlUrl, DeleteWebhookEndpointDocument, { id }, intruder)).data).toEqual({
      deleteWebhookEndpoint: false,
    });
    const theirs = await execute(app.graphqlUrl, RotateWebhookSecretDocument, { id }, intruder);
    const unknown = await execute(app.graphqlUrl, RotateWebhookSecretDocument, { id: 'we_nothing' }, intruder);
    expect(theirs.errors?.[0]?.extensions).toEqual(unknown.errors?.[0]?.extensions);
    const deliveries = await execute(app.graphqlUrl, WebhookDeliveriesDocument, { endpointId: id }, intruder);
    expect(deliveries.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const rotated = await execute(app.graphqlUrl, RotateWebhookSecretDocument, { id }, await as());
    expect(rotated.data?.rotateWebhookSecret.secret).toMatch(/^whsec_/);
    expect(rotated.data?.rotateWebhookSecret.secret).not.toBe(created.secret);
    expect(rotated.data?.rotateWebhookSecret.endpoint.previousSecretExpiresAt).toBeTruthy();

    expect((await execute(app.graphqlUrl, DeleteWebhookEndpointDocument, { id }, await as())).data).toEqual({
      deleteWebhookEndpoint: true,
    });
    const after = await execute(app.graphqlUrl, WebhookEndpointsDocument, {}, await as());
    expect(after.data?.webhookEndpoints.map((endpoint) => endpoint.id)).not.toContain(id);
  });

  it('delivery reports from the simulator: one signed MESSAGE_DELIVERY_CHANGED per final status, no number', async () => {
    const { secret, endpoint } = await create('/reports', ['MESSAGE_DELIVERY_CHANGED'] as WebhookEvent[]);
    const endpoints = [freshNumber(), freshNumber(SIMULATOR_ENDINGS.undelivered)];
    const sent = await execute(
      app.graphqlUrl,
      PublishPromotionSmsDocument,
      { input: promotionInput({ endpoints }) },
      await as(),
    );
    expect(sent.errors).toBeUndefined();
    const requestId = sent.data!.publishPromotionSms.requestId;
    const events = await vi.waitFor(
      () => {
        const mine = hooks
          .of('/reports', 'MESSAGE_DELIVERY_CHANGED')
          .filter((entry) => entry.body.data.requestId === requestId);
        expect(mine).toHaveLength(2);
        return mine;
      },
      { timeout: 10_000, interval: 50 },
    );
    for (const entry of events) {
      expect(verified(secret, entry)).toEqual(entry.body);
      for (const number of endpoints) expect(entry.raw).not.toContain(number.slice(1));
    }
    expect(events.map((entry) => entry.body.data.status).sort()).toEqual(['DELIVERED', 'FAILED']);
    expect(events[0]!.body.data).toMatchObject({ messageId: expect.any(String), requestId });

    const page = await execute(
      app.graphqlUrl,
      WebhookDeliveriesDocument,
      { endpointId: endpoint.id, first: 1 },
      await as(),
    );
    expect(page.data?.webhookDeliveries.nodes[0]).toMatchObject({
      event: 'MESSAGE_DELIVERY_CHANGED',
      status: 'SUCCEEDED',
      attemptCount: 1,
      attempts: [{ statusCode: 200, responseBody: 'thanks' }],
    });
    expect(page.data?.webhookDeliveries.pageInfo.hasNextPage).toBe(true);
    const next = await execute(
      app.graphqlUrl,
      WebhookDeliveriesDocument,
      { endpointId: endpoint.id, first: 5, after: page.data!.webhookDeliveries.pageInfo.endCursor ?? null },
      await as(),
    );
    expect(next.data?.webhookDeliveries.nodes).toHaveLength(1);
    expect(next.data?.webhookDeliveries.nodes[0]?.id).not.toBe(page.data?.webhookDeliveries.nodes[0]?.id);
  });

  it('replies and opt-outs: REPLY_RECEIVED and OPT_OUT_CHANGED from a reply, then manual changes', async () => {
    const { secret } = await create('/people', ['REPLY_RECEIVED', 'OPT_OUT_CHANGED'] as WebhookEvent[]);
    const number = freshNumber();
    const sent = await execute(
      app.graphqlUrl,
      PublishPromotionSmsDocument,
      { input: promotionInput({ endpoints: [number] }) },
      await as(),
    );
    expect(sent.errors).toBeUndefined();
    expect(await stack.simulator.reply({ endpoint: number, text: 'hello there' })).toBe(200);
    expect(await stack.simulator.reply({ endpoint: number, text: 'STOP', masked: true })).toBe(200);
    const ofNumber = (type: string) => hooks.of('/people', type).filter((entry) => entry.body.data.number === number);
    await vi.waitFor(
      () => {
        expect(ofNumber('REPLY_RECEIVED').map((entry) => entry.body.data)).toEqual([
          { number, text: 'hello there', optOutKeyword: false },
          { number, text: 'STOP', optOutKeyword: true },
        ]);
        expect(ofNumber('OPT_OUT_CHANGED').map((entry) => entry.body.data)).toEqual([
          { number, action: 'ADDED', source: 'SMS_REPLY' },
        ]);
      },
      { timeout: 10_000, interval: 50 },
    );
    await execute(app.graphqlUrl, RemoveOptOutsDocument, { input: { endpoints: [number] } }, await as());
    await execute(
      app.graphqlUrl,
      AddOptOutsDocument,
      { input: { endpoints: [number], reason: 'asked by phone' } },
      await as(),
    );
    await vi.waitFor(
      () =>
        expect(
          ofNumber('OPT_OUT_CHANGED').map((entry) => `${entry.body.data.action}:${entry.body.data.source}`),
        ).toEqual(['ADDED:SMS_REPLY', 'REMOVED:MANUAL', 'ADDED:MANUAL']),
      { timeout: 10_000, interval: 50 },
    );
    for (const entry of [...ofNumber('REPLY_RECEIVED'), ...ofNumber('OPT_OUT_CHANGED')]) verified(secret, entry);
  });

  it('campaign statuses arrive in order through a receiver that fails first (retried with backoff)', async () => {
    const { secret, endpoint } = await create('/flaky', ['CAMPAIGN_STATUS_CHANGED'] as WebhookEvent[]);
    const headers = await as();
    const campaign = await createCampaign(app.graphqlUrl, {}, headers);
    await addRecipients(app.graphqlUrl, campaign.id, numbers(3, numberSeq * 10), headers);
    await startCampaign(app.graphqlUrl, campaign.id, headers);
    const statuses = await vi.waitFor(
      () => {
        const mine = hooks
          .of('/flaky', 'CAMPAIGN_STATUS_CHANGED')
          .filter((entry) => entry.body.data.campaignId === campaign.id);
        expect(mine.map((entry) => entry.body.data.status)).toEqual(['RUNNING', 'COMPLETED']);
        return mine;
      },
      { timeout: 15_000, interval: 50 },
    );
    for (const entry of statuses) verified(secret, entry);
    const page = await execute(app.graphqlUrl, WebhookDeliveriesDocument, { endpointId: endpoint.id }, headers);
    const running = page.data!.webhookDeliveries.nodes.at(-1)!;
    expect(running).toMatchObject({ status: 'SUCCEEDED', attemptCount: 3 });
    expect(running.attempts.map((attempt) => attempt.statusCode)).toEqual([500, 500, 200]);
    // The metrics count every attempt by outcome.
    const attempts = (outcome: string) =>
      metricValue(app, `smn_gateway_webhook_attempts_total{type="CAMPAIGN_STATUS_CHANGED",outcome="${outcome}"}`);
    expect(await attempts('failure')).toBe(2);
    expect(await attempts('success')).toBe(2);
  });
});

describe('without WEBHOOK_ALLOW_PRIVATE', () => {
  it('private, loopback, link-local and localhost URLs are refused at create, naming the field', async () => {
    await stack.withApp({}, async (app) => {
      const headers = {
        authorization: `Bearer ${await mint(stack.key, { scope: 'sms:webhooks:write', claims: { tenant_id: 'ssrf' } })}`,
      };
      for (const url of [
        'http://127.0.0.1:8080/hook',
        'http://169.254.169.254/latest/meta-data/',
        'http://[::1]/hook',
        'http://10.0.0.8/hook',
        'http://localhost/hook',
        'http://2130706433/hook',
      ]) {
        const result = await execute(
          app.graphqlUrl,
          CreateWebhookEndpointDocument,
          { input: { url, events: ['REPLY_RECEIVED'] as WebhookEvent[] } },
          headers,
        );
        expect(result.errors?.[0]?.extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          validationErrors: [{ field: 'url' }],
        });
      }
      expect((await execute(app.graphqlUrl, WebhookEndpointsDocument, {}, headers)).data?.webhookEndpoints).toEqual([]);
    });
  });
});
