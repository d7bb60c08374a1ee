import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import {
  AddPromotionCampaignRecipientsDocument,
  CreatePromotionCampaignDocument,
  request,
  SmsDeliveryUpdatesDocument,
  SmsGatewayErrorCode,
  sendPromotionSms,
  StartPromotionCampaignDocument,
  type SmsGatewayError,
} from '../../client/index.js';
import {
  createSubscriptionClient,
  subscribe,
  subscribeToCampaign,
  subscribeToDeliveries,
  type PromotionCampaignUpdate,
  type SmsDeliveryUpdate,
  type SubscriptionHandlers,
} from '../../client/subscriptions.js';
import { manifestText, projectManifest } from '../../scripts/lib/trusted-documents-manifest.js';
import { SIMULATOR_ENDINGS } from '../../src/simulator/numbers.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { startEventsApp } from '../helpers/events.js';
import { promotionInput } from '../helpers/inputs.js';
import { mint } from '../helpers/jwks.js';
import { freePort } from '../helpers/ports.js';
import { useStack } from '../helpers/stack.js';
import { useManifestFolder, writeManifest } from '../helpers/trusted-documents.js';

const stack = useStack({
  app: false,
  auth: true,
  env: { QUOTA_RECIPIENTS_PER_MINUTE: '0', QUOTA_RECIPIENTS_PER_DAY: '0' },
  simulatorEnv: { SIMULATOR_REPORT_DELAY_MS: '700' },
});
const manifests = useManifestFolder();
/** Runs only the documents of operations/ (TRUSTED_DOCUMENTS=require), so the client must send ids. */
let strict: TestApp;
/** Ignores ids (TRUSTED_DOCUMENTS=off): the client falls back to the text. */
let open: TestApp;
beforeAll(async () => {
  await manifests.ready;
  const file = await writeManifest(manifests.path('trusted-documents.json'), manifestText(await projectManifest()));
  strict = await startEventsApp(stack, { TRUSTED_DOCUMENTS: 'require', TRUSTED_DOCUMENTS_MANIFEST: file });
  open = await startApp(stack.env({ TRUSTED_DOCUMENTS: 'off' }));
});
afterAll(async () => {
  await strict?.close();
  await open?.close();
});

const UNTIL = { timeout: 8_000, interval: 50 };
const token = (scope = 'sms:promotion:send sms:read') => mint(stack.key, { scope });
let next = 5000;
const numberEnding = (suffix: string) => `+86139${String((next += 1)).padStart(4, '0')}${suffix}`;

/** Handlers that keep what they are given. */
function collect<T>() {
  const values: T[] = [];
  const errors: SmsGatewayError[] = [];
  let completed = false;
  const handlers: SubscriptionHandlers<T> = {
    next: (value) => values.push(value),
    error: (error) => errors.push(error),
    complete: () => (completed = true),
  };
  return {
    values,
    errors,
    handlers,
    get completed() {
      return completed;
    },
  };
}

const webSocketLines = (app: TestApp, operation: string) =>
  app.logs.entries().filter((line) => line.msg === 'GraphQL operation' && line['operation'] === operation);

describe('subscriptions in the typed client (graphql-ws)', () => {
  it('subscribeToDeliveries: typed updates, the token in connection_init, the document by id', async () => {
    const bearer = await token();
    const endpoints = [numberEnding('4321'), numberEnding(SIMULATOR_ENDINGS.undelivered)];
    const sent = await sendPromotionSms(promotionInput({ endpoints }), { url: strict.graphqlUrl, token: bearer });
    expect(sent.ok).toBe(true);
    if (!sent.ok) return;
    const updates = collect<SmsDeliveryUpdate>();
    const unsubscribe = subscribeToDeliveries(sent.payload.requestId, updates.handlers, {
      url: strict.graphqlUrl,
      token: bearer,
      webSocketImpl: WebSocket,
    });
    try {
      await vi.waitFor(() => expect(updates.values).toHaveLength(2), UNTIL);
      const byEndpoint = new Map(updates.values.map((update) => [update.endpoint, update.delivery.status]));
      expect(byEndpoint).toEqual(
        new Map([
          [endpoints[0], 'DELIVERED'],
          [endpoints[1], 'FAILED'],
        ]),
      );
      expect(updates.errors).toEqual([]);
      const [line] = webSocketLines(strict, 'smsDeliveryUpdates');
      expect(line?.['documentId']).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      unsubscribe();
    }
  });

  it('subscribeToCampaign on a shared client: the campaign to COMPLETED; by text where ids are ignored', async () => {
    const options = { url: open.graphqlUrl, token: await token() };
    const created = await request(
      CreatePromotionCampaignDocument,
      { input: { name: 'Subscribed', smsTemplateId: 'tpl_sub' } },
      options,
    );
    const id = created.data!.createPromotionCampaign.id;
    const endpoints = [numberEnding('4321'), numberEnding('4322'), numberEnding('4323')];
    await request(AddPromotionCampaignRecipientsDocument, { input: { campaignId: id, endpoints } }, options);
    const client = createSubscriptionClient({ ...options, webSocketImpl: WebSocket });
    const updates = collect<PromotionCampaignUpdate>();
    const unsubscribe = subscribeToCampaign(id, updates.handlers, { client });
    try {
      // Established (the service logs a subscription once it is), then started: no update can be missed.
      await vi.waitFor(() => expect(webSocketLines(open, 'promotionCampaignUpdates')).toHaveLength(1), UNTIL);
      expect(webSocketLines(open, 'promotionCampaignUpdates')[0]).toMatchObject({ outcome: 'ok' });
      expect(webSocketLines(open, 'promotionCampaignUpdates')[0]?.['documentId']).toBeUndefined();
      await request(StartPromotionCampaignDocument, { id }, options);
      await vi.waitFor(() => expect(updates.values.at(-1)?.status).toBe('COMPLETED'), UNTIL);
      expect(updates.values.at(-1)).toMatchObject({ id, recipients: 3, sent: 3, batches: 1, batchesDone: 1 });
      expect(updates.errors).toEqual([]);
    } finally {
      unsubscribe();
      await client.dispose();
    }
  });

  it('a refused token is UNAUTHENTICATED at once (no retries); a missing scope FORBIDDEN; no host CONNECTION_FAILED', async () => {
    const refused = collect<SmsDeliveryUpdate>();
    subscribeToDeliveries('r-1', refused.handlers, {
      url: strict.graphqlUrl,
      token: 'forged',
      webSocketImpl: WebSocket,
    });
    // graphql-ws would retry a 4403 five times (~30 s); the client gives up at once.
    await vi.waitFor(() => expect(refused.errors).toHaveLength(1), { timeout: 2_500, interval: 50 });
    expect(refused.errors[0]).toMatchObject({
      code: SmsGatewayErrorCode.Unauthenticated,
      closeCode: 4403,
      httpStatus: 0,
    });
    expect(refused.errors[0]?.message).not.toContain('forged');

    const narrow = collect<SmsDeliveryUpdate>();
    const bearer = await token('sms:promotion:send');
    subscribeToDeliveries('r-1', narrow.handlers, { url: strict.graphqlUrl, token: bearer, webSocketImpl: WebSocket });
    await vi.waitFor(() => expect(narrow.errors).toHaveLength(1), UNTIL);
    expect(narrow.errors[0]).toMatchObject({ code: SmsGatewayErrorCode.Forbidden });

    const nowhere = collect<SmsDeliveryUpdate>();
    const port = await freePort();
    subscribeToDeliveries('r-1', nowhere.handlers, {
      url: `http://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      retryAttempts: 0,
    });
    await vi.waitFor(() => expect(nowhere.errors).toHaveLength(1), UNTIL);
    expect(nowhere.errors[0]).toMatchObject({ code: SmsGatewayErrorCode.ConnectionFailed });
    expect([refused, narrow, nowhere].map((one) => one.values.length + Number(one.completed))).toEqual([0, 0, 0]);
  });

  it('forged variables and a flood of subscriptions on one connection come back typed, the rest unharmed', async () => {
    const options = { url: strict.graphqlUrl, token: await token(), webSocketImpl: WebSocket };
    const forged = collect<unknown>();
    subscribe(SmsDeliveryUpdatesDocument, { requestId: { $ne: 1 } as never }, (data) => data, forged.handlers, options);
    await vi.waitFor(() => expect(forged.errors).toHaveLength(1), UNTIL);
    expect(forged.errors[0]?.code).toBe(SmsGatewayErrorCode.BadUserInput);

    const sent = await sendPromotionSms(promotionInput({ endpoints: [numberEnding('4321')] }), options);
    const requestId = sent.ok ? sent.payload.requestId : '';
    const client = createSubscriptionClient(options);
    const many = Array.from({ length: 21 }, () => collect<SmsDeliveryUpdate>());
    const stops = many.map((one) => subscribeToDeliveries(requestId, one.handlers, { client }));
    try {
      await vi.waitFor(() => expect(many.flatMap((one) => one.errors)).toHaveLength(1), UNTIL);
      expect(many.flatMap((one) => one.errors)[0]).toMatchObject({
        code: SmsGatewayErrorCode.BadRequest,
        message: expect.stringMatching(/At most 20 subscriptions per connection/),
      });
      // The 20 others still hear the delivery report.
      await vi.waitFor(() => expect(many.filter((one) => one.values.length === 1)).toHaveLength(20), UNTIL);
    } finally {
      stops.forEach((stop) => stop());
      await client.dispose();
    }
  });
});
