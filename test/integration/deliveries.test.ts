import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { OptOutsDocument, PromotionSmsRequestDocument } from '../../client/generated.js';
import { stringToSign, type Envelope } from '../../src/smn/events/envelope.js';
import { closeServer, listen } from '../../src/util/listen.js';
import type { TestApp } from '../helpers/app.js';
import { SIMULATOR_ENDINGS } from '../../src/simulator/numbers.js';
import { startEventsApp, subscribe } from '../helpers/events.js';
import { execute, post } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { startSimulatorProcess } from '../helpers/simulator-process.js';
import { freePort } from '../helpers/ports.js';
import { useStack, withApp } from '../helpers/stack.js';

const stack = useStack({ app: false, simulatorEnv: { SIMULATOR_REPORT_DELAY_MS: '700' } });
let app: TestApp;
beforeAll(async () => {
  app = await startEventsApp(stack);
});
afterAll(() => app?.close());

let next = 2000;
/** A fresh China mobile number ending in `suffix` (0001 UNDELIV, 0002 EXPIRED, 0003 no report). */
const numberEnding = (suffix: string) => `+86139${String((next += 1)).padStart(4, '0')}${suffix}`;

const DELIVERY_UPDATES = `subscription Updates($requestId: String!) {
  smsDeliveryUpdates(requestId: $requestId) { messageId endpoint delivery { status carrierCode } }
}`;

async function sendFour() {
  const { undelivered, expired, neverReported } = SIMULATOR_ENDINGS;
  const endpoints = [
    numberEnding(undelivered),
    numberEnding(expired),
    numberEnding(neverReported),
    numberEnding('4321'),
  ];
  const result = await publish(app, promotionInput({ endpoints }));
  expect(result.errors).toBeUndefined();
  return { endpoints, requestId: result.data!.publishPromotionSms.requestId };
}

const request = (target: TestApp, requestId: string) =>
  execute(target.graphqlUrl, PromotionSmsRequestDocument, { requestId });

/** The request once exactly `pending` of its numbers still wait for a report (reports arrive over time). */
function pendingReaches(target: TestApp, requestId: string, pending: number) {
  return vi.waitFor(
    async () => {
      const current = (await request(target, requestId)).data?.promotionSmsRequest;
      expect(current?.pending).toBe(pending);
      return current!;
    },
    { timeout: 8_000, interval: 100 },
  );
}

/** Posts an envelope to /smn/events as SMN would. */
async function postEvent(target: TestApp, envelope: unknown, raw?: string) {
  const response = await fetch(`${target.url}/smn/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: raw ?? JSON.stringify(envelope),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as { outcome?: string } };
}

function selfSigned(message: Record<string, unknown>, signingCertUrl: string): Envelope {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const unsigned: Envelope = {
    type: 'Notification',
    message_id: `forged-${Date.now()}`,
    topic_urn: 'urn:smn:cn-north-4:project:sms',
    message: JSON.stringify(message),
    timestamp: new Date().toISOString(),
    signature_version: 'v1',
    signature: '',
    signing_cert_url: signingCertUrl,
  };
  return { ...unsigned, signature: sign('sha256', Buffer.from(stringToSign(unsigned)), privateKey).toString('base64') };
}

describe('delivery reports from SMN, verified, on SmsSent and promotionSmsRequest', () => {
  it('4 numbers move from 4 pending to delivered 1, undelivered 2, pending 1; a subscriber hears the 3 changes', async () => {
    const { endpoints, requestId } = await sendFour();
    const subscription = subscribe(app.graphqlUrl, DELIVERY_UPDATES, { requestId });
    try {
      const before = await request(app, requestId);
      expect(before.data?.promotionSmsRequest).toMatchObject({ pending: 4, delivered: 0, undelivered: 0, unknown: 0 });
      const after = await pendingReaches(app, requestId, 1);
      expect(after).toMatchObject({ requestId, pending: 1, delivered: 1, undelivered: 2, unknown: 0 });
      expect(
        after.messages.map((message) => [message.endpoint, message.delivery.status, message.delivery.carrierCode]),
      ).toEqual([
        [endpoints[0], 'FAILED', 'UNDELIV'],
        [endpoints[1], 'EXPIRED', 'EXPIRED'],
        [endpoints[2], 'SUBMITTED', null],
        [endpoints[3], 'DELIVERED', 'DELIVRD'],
      ]);
      for (const message of after.messages.filter((entry) => entry.delivery.status !== 'SUBMITTED')) {
        expect(message.delivery.reportedAt).not.toBeNull();
        expect(message.delivery.deliveredAt).not.toBeNull();
      }
      await vi.waitFor(() => expect(subscription.received.length).toBeGreaterThanOrEqual(3), {
        timeout: 3_000,
        interval: 100,
      });
      const statuses = subscription.received.map(
        (event) =>
          (event.data as { smsDeliveryUpdates: { delivery: { status: string } } }).smsDeliveryUpdates.delivery.status,
      );
      expect(statuses.sort()).toEqual(['DELIVERED', 'EXPIRED', 'FAILED']);
    } finally {
      await subscription.close();
    }
  });

  it('a subscriber that comes after the reports gets the final messages first, and the stream ends', async () => {
    const endpoints = [numberEnding(SIMULATOR_ENDINGS.undelivered), numberEnding('4321')];
    const sent = await publish(app, promotionInput({ endpoints }));
    const requestId = sent.data!.publishPromotionSms.requestId;
    await pendingReaches(app, requestId, 0);
    const late = subscribe(app.graphqlUrl, DELIVERY_UPDATES, { requestId });
    try {
      await late.done;
      expect(late.failure).toBeUndefined();
      const heard = late.received.map(
        (event) =>
          (event.data as { smsDeliveryUpdates: { endpoint: string; delivery: { status: string } } }).smsDeliveryUpdates,
      );
      // Send order, as promotionSmsRequest answers.
      expect(heard.map((update) => [update.endpoint, update.delivery.status])).toEqual([
        [endpoints[0], 'FAILED'],
        [endpoints[1], 'DELIVERED'],
      ]);
    } finally {
      await late.close();
    }
  });

  it('a subscriber racing the reports (subscribing as they arrive) gets each message once, and the stream ends', async () => {
    const endpoints = Array.from({ length: 6 }, () => numberEnding('4321'));
    const sent = await publish(app, promotionInput({ endpoints }));
    const requestId = sent.data!.publishPromotionSms.requestId;
    // Reports arrive ~700 ms after the send: subscribers start before, during and after them.
    const subscriptions = [];
    for (let index = 0; index < 12; index += 1) {
      subscriptions.push(subscribe(app.graphqlUrl, DELIVERY_UPDATES, { requestId }));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    try {
      for (const subscription of subscriptions) {
        await subscription.done;
        expect(subscription.failure).toBeUndefined();
        const ids = subscription.received.map(
          (event) => (event.data as { smsDeliveryUpdates: { messageId: string } }).smsDeliveryUpdates.messageId,
        );
        expect(ids).toHaveLength(6);
        expect(new Set(ids).size).toBe(6);
      }
    } finally {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
    }
  });

  it('the first final status wins: a repeated or conflicting report changes nothing; an unknown id is answered and ignored', async () => {
    const { requestId } = await sendFour();
    const settled = await pendingReaches(app, requestId, 1);
    const delivered = settled.messages[3]!;
    expect(
      await stack.simulator.report({ messageId: delivered.messageId, statusDesc: 'UNDELIV', success: false }),
    ).toBe(200);
    expect(await stack.simulator.report({ messageId: 'f'.repeat(32), statusDesc: 'DELIVRD' })).toBe(200);
    expect(await stack.simulator.repost('duplicate')).toBe(200);
    const again = (await request(app, requestId)).data?.promotionSmsRequest;
    expect(again?.messages[3]?.delivery).toMatchObject({ status: 'DELIVERED', carrierCode: 'DELIVRD' });
    const metrics = await (await fetch(app.metricsUrl)).text();
    expect(metrics).toMatch(/smn_gateway_smn_events_total\{outcome="report_unchanged"\} [1-9]/);
    expect(metrics).toMatch(/smn_gateway_smn_events_total\{outcome="report_unknown_message"\} [1-9]/);
    expect(metrics).toMatch(/smn_gateway_smn_events_total\{outcome="duplicate"\} [1-9]/);
  });

  it('SmsSent.delivery resolves for an entity reference, as the router asks for it', async () => {
    const { requestId } = await sendFour();
    const settled = await pendingReaches(app, requestId, 1);
    const entities = await post<{ _entities: Array<{ delivery: { status: string; carrierCode: string } } | null> }>(
      app.graphqlUrl,
      'query($r: [_Any!]!) { _entities(representations: $r) { ... on SmsSent { delivery { status carrierCode } } } }',
      { r: settled.messages.map((message) => ({ __typename: 'SmsSent', messageId: message.messageId })) },
    );
    expect(entities.data?._entities.map((entity) => entity?.delivery.status)).toEqual([
      'FAILED',
      'EXPIRED',
      'SUBMITTED',
      'DELIVERED',
    ]);
  });

  it('another tenant or an unknown request id answers null', async () => {
    expect((await request(app, 'no-such-request')).data?.promotionSmsRequest).toBeNull();
  });
});

describe('/smn/events refuses what it cannot trust, and changes nothing', () => {
  it('a message signed with another key, tampered, malformed, of an unknown type or too large: 4xx', async () => {
    const { requestId } = await sendFour();
    const certificateUrl = ((await stack.simulator.events()).at(-1)?.signing_cert_url as string) ?? 'https://x';
    const forged = selfSigned(
      { event_type: 'sms_fail_event', message_id: 'x', status: 0, status_desc: 'UNDELIV' },
      certificateUrl,
    );
    expect(await postEvent(app, forged)).toMatchObject({ status: 403, body: { outcome: 'bad_signature' } });
    expect(await stack.simulator.repost('tampered')).toBe(403);
    expect((await postEvent(app, undefined, '{not json')).status).toBe(400);
    expect(await postEvent(app, { ...forged, type: 'Surprise' })).toMatchObject({
      status: 400,
      body: { outcome: 'unknown_type' },
    });
    expect(await postEvent(app, { ...forged, signature: undefined })).toMatchObject({
      status: 400,
      body: { outcome: 'malformed' },
    });
    expect((await postEvent(app, undefined, JSON.stringify({ ...forged, message: 'x'.repeat(300_000) }))).status).toBe(
      413,
    );
    const untouched = (await request(app, requestId)).data?.promotionSmsRequest;
    expect(untouched?.pending).toBe(4);
    const metrics = await (await fetch(app.metricsUrl)).text();
    for (const outcome of ['bad_signature', 'malformed', 'unknown_type', 'too_large']) {
      expect(metrics).toMatch(new RegExp(`smn_gateway_smn_events_total\\{outcome="${outcome}"\\} [1-9]`));
    }
  });

  it('without a pinned certificate, a signing_cert_url on a foreign host is refused and never fetched', async () => {
    let hits = 0;
    const foreign = createServer((_req, res) => {
      hits += 1;
      res.end('-----BEGIN CERTIFICATE-----');
    });
    const foreignUrl = await listen(foreign, 0, '127.0.0.1');
    try {
      await withApp(stack.env({ SMN_EVENTS: 'callback' }), async (strict) => {
        for (const url of [
          `${foreignUrl}/smn/SMN_cn-north-4_ab12.pem`,
          `${foreignUrl.replace('http:', 'https:')}/smn/SMN_cn-north-4_ab12.pem`,
          'https://smn.cn-north-4.myhuaweicloud.com.evil.example/smn/SMN_cn-north-4_ab12.pem',
          'http://smn.cn-north-4.myhuaweicloud.com/smn/SMN_cn-north-4_ab12.pem',
        ]) {
          const refused = await postEvent(
            strict,
            selfSigned({ event_type: 'sms_success_event', message_id: 'x' }, url),
          );
          expect(refused).toMatchObject({ status: 403, body: { outcome: 'untrusted_certificate' } });
        }
      });
      expect(hits).toBe(0);
    } finally {
      await closeServer(foreign);
    }
  });
});

describe('/smn/events under concurrent and repeated delivery', () => {
  it('one signed envelope posted 20 times at once is applied once; every post is answered 2xx', async () => {
    const { requestId } = await sendFour();
    const settled = await pendingReaches(app, requestId, 1);
    const silent = settled.messages[2]!; // ...0003: SMN never reports it, so it is still SUBMITTED
    // Capture a signed report without delivering it: the simulator posts it to a port nobody listens on.
    await stack.simulator.subscribe(`http://127.0.0.1:${await freePort()}/smn/events`);
    await stack.simulator.report({ messageId: silent.messageId, statusDesc: 'DELIVRD' });
    const envelope = (await stack.simulator.events()).at(-1)!;
    await stack.simulator.subscribe(`${app.url}/smn/events`);
    const { status: _status, ...signed } = envelope;
    const answers = await Promise.all(Array.from({ length: 20 }, () => postEvent(app, signed)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(answers.filter((answer) => answer.body.outcome === 'report_updated')).toHaveLength(1);
    const after = (await request(app, requestId)).data?.promotionSmsRequest;
    expect(after).toMatchObject({ pending: 0, delivered: 2 });
  });
});

describe('replies: an opt-out keyword puts the number on the opt-out list', () => {
  it.each([
    ['plain', false],
    ['masked', true],
  ])('a "TD" reply (%s number) opts it out; the next send holds it back as OPTED_OUT', async (_name, masked) => {
    const number = numberEnding(masked ? '7711' : '7722');
    await publish(app, promotionInput({ endpoints: [number] }));
    expect(await stack.simulator.reply({ endpoint: number, text: ' td ', masked })).toBe(200);
    const status = await execute(app.graphqlUrl, OptOutsDocument, { endpoints: [number] });
    expect(status.data?.optOuts[0]).toMatchObject({ optedOut: true, source: 'SMS_REPLY' });
    const next = await publish(app, promotionInput({ endpoints: [number] }));
    expect(next.data?.publishPromotionSms.results[0]).toMatchObject({ code: 'OPTED_OUT' });
  });

  it('a reply that is not a keyword, or a masked number matching two recent recipients, opts nobody out', async () => {
    const a = '+8613911117788';
    const b = '+8613922227788'; // same visible digits once masked: 139****7788
    await publish(app, promotionInput({ endpoints: [a, b] }));
    expect(await stack.simulator.reply({ endpoint: a, text: 'thanks!' })).toBe(200);
    expect(await stack.simulator.reply({ endpoint: a, text: 'TD', masked: true })).toBe(200);
    const status = await execute(app.graphqlUrl, OptOutsDocument, { endpoints: [a, b] });
    expect(status.data?.optOuts.map((entry) => entry.optedOut)).toEqual([false, false]);
    expect(app.logs.text).not.toContain('13911117788');
  });
});

describe('SMN_EVENTS=poll', () => {
  it('reads the report API and gets the same statuses, with callbacks off', async () => {
    await withApp(stack.env({ SMN_EVENTS: 'poll', SMN_REPORT_POLL_SECONDS: '1' }), async (polling) => {
      const endpoints = [numberEnding(SIMULATOR_ENDINGS.undelivered), numberEnding('4455')];
      const sent = await publish(polling, promotionInput({ endpoints }));
      const requestId = sent.data!.publishPromotionSms.requestId;
      const settled = await pendingReaches(polling, requestId, 0);
      expect(settled).toMatchObject({ delivered: 1, undelivered: 1 });
      expect((await fetch(`${polling.url}/smn/events`, { method: 'POST', body: '{}' })).status).toBe(404);
    });
  });
});

describe('subscriptions: scopes and bounds', () => {
  it('an unknown request is an error, not an empty stream', async () => {
    const subscription = subscribe(app.graphqlUrl, DELIVERY_UPDATES, { requestId: 'nope' });
    await subscription.done;
    await subscription.close();
    expect(JSON.stringify(subscription.failure ?? subscription.received)).toContain('No request with this requestId');
  });

  it('GraphQL over HTTP does not run a subscription (it lives on the WebSocket of the same path)', async () => {
    const result = await post(app.graphqlUrl, DELIVERY_UPDATES, { requestId: 'x' });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]).toMatchObject({
      message: 'Subscriptions run over WebSocket (graphql-ws) on this path, not as HTTP requests.',
      extensions: { code: 'BAD_REQUEST' },
    });
  });
});

describe('the standalone simulator', () => {
  it('with SIMULATOR_EVENTS_ENDPOINT, posts a signed SubscriptionConfirmation at start', async () => {
    const received: Array<{ type: string | undefined; body: string }> = [];
    const endpoint = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push({ type: req.headers['x-smn-message-type'] as string | undefined, body });
        res.end('{}');
      });
    });
    const url = await listen(endpoint, 0, '127.0.0.1');
    const simulator = await startSimulatorProcess({ SIMULATOR_EVENTS_ENDPOINT: `${url}/smn/events` });
    try {
      await vi.waitFor(() => expect(received.length).toBeGreaterThan(0), { timeout: 5_000, interval: 100 });
      expect(received[0]?.type).toBe('SubscriptionConfirmation');
      const envelope = JSON.parse(received[0]!.body) as Record<string, string>;
      expect(envelope).toMatchObject({ type: 'SubscriptionConfirmation', signature_version: 'v1' });
      expect(envelope.subscribe_url).toContain(simulator.url);
    } finally {
      await simulator.stop();
      await closeServer(endpoint);
    }
  });
});
