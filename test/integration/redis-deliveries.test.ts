import { describe, expect, it, vi } from 'vitest';
import { PromotionSmsRequestDocument, SentSmsDocument } from '../../client/generated.js';
import { startApp } from '../helpers/app.js';
import { startEventsApp, subscribe } from '../helpers/events.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { freePort } from '../helpers/ports.js';
import { REDIS_URL, redisForTests, startPrivateRedis, uniquePrefix } from '../helpers/redis.js';
import { useStack } from '../helpers/stack.js';
import { SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';

const hasRedis = await redisForTests();
const stack = useStack({ app: false, simulatorEnv: { SIMULATOR_REPORT_DELAY_MS: '700' } });

describe.skipIf(!hasRedis)('delivery reports across replicas sharing Redis', () => {
  it('subscribed on replica A, reports delivered to replica B: A hears them, and both answer the same statuses', async () => {
    const shared = { REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix() };
    const certificate = await stack.simulator.certificate();
    const a = await startApp(stack.env({ ...shared, SMN_EVENTS: 'callback', SMN_EVENTS_CERT: certificate }));
    const b = await startEventsApp(stack, shared); // the simulator posts every event to B
    try {
      const { undelivered, delivered } = SIMULATOR_NUMBERS;
      const endpoints = [undelivered, delivered];
      const sent = await publish(a, promotionInput({ endpoints }));
      const requestId = sent.data!.publishPromotionSms.requestId;
      const subscription = subscribe(
        a.graphqlUrl,
        'subscription($requestId: String!) { smsDeliveryUpdates(requestId: $requestId) { endpoint delivery { status } } }',
        { requestId },
      );
      try {
        await vi.waitFor(() => expect(subscription.received.length).toBeGreaterThanOrEqual(2), {
          timeout: 8_000,
          interval: 100,
        });
        const heard = subscription.received.map(
          (event) =>
            (event.data as { smsDeliveryUpdates: { endpoint: string; delivery: { status: string } } })
              .smsDeliveryUpdates,
        );
        expect(heard.map((update) => `${update.endpoint}:${update.delivery.status}`).sort()).toEqual([
          `${delivered}:DELIVERED`,
          `${undelivered}:FAILED`,
        ]);
        // Both messages final: the stream ends by itself.
        await subscription.done;
        expect(subscription.failure).toBeUndefined();
      } finally {
        await subscription.close();
      }
      // A subscriber on B that comes after the reports gets the state, and its stream ends there.
      const late = subscribe(
        b.graphqlUrl,
        'subscription($requestId: String!) { smsDeliveryUpdates(requestId: $requestId) { endpoint delivery { status } } }',
        { requestId },
      );
      try {
        await late.done;
        expect(late.failure).toBeUndefined();
        expect(late.received).toHaveLength(2);
      } finally {
        await late.close();
      }
      for (const replica of [a, b]) {
        const request = await execute(replica.graphqlUrl, PromotionSmsRequestDocument, { requestId });
        expect(request.data?.promotionSmsRequest).toMatchObject({ delivered: 1, undelivered: 1, pending: 0 });
      }
      const posted = await stack.simulator.events();
      expect(posted.filter((event) => event.type === 'Notification').every((event) => event.status === 200)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('Redis not answering while an event arrives: 503 (SMN retries), nothing marked seen; the retry is applied', async () => {
    const redis = await startPrivateRedis();
    try {
      const app = await startEventsApp(stack, { REDIS_URL: redis.url, REDIS_KEY_PREFIX: uniquePrefix() });
      try {
        const sent = await publish(app, promotionInput({ endpoints: [SIMULATOR_NUMBERS.neverReported] }));
        const first = sent.data!.publishPromotionSms.results[0]!;
        const messageId = first.__typename === 'SmsSent' ? first.messageId : '';
        await stack.simulator.subscribe(`http://127.0.0.1:${await freePort()}/smn/events`);
        await stack.simulator.report({ messageId, statusDesc: 'DELIVRD' });
        const { status: _status, ...signed } = (await stack.simulator.events()).at(-1)!;
        const post = () =>
          fetch(`${app.url}/smn/events`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(signed),
          });

        // Frozen, not stopped: Redis keeps its data but answers nothing (commands time out).
        redis.pause();
        expect((await post()).status).toBe(503);
        redis.resume();
        await vi.waitFor(async () => expect((await fetch(`${app.url}/readyz`)).status).toBe(200), {
          timeout: 8_000,
          interval: 100,
        });
        expect(await (await post()).json()).toEqual({ outcome: 'report_updated' });
        expect(await (await post()).json()).toEqual({ outcome: 'duplicate' });
        const message = await execute(app.graphqlUrl, SentSmsDocument, { messageId });
        expect(message.data?.sentSms?.delivery.status).toBe('DELIVERED');
      } finally {
        await app.close();
      }
    } finally {
      await redis.stop();
    }
  });
});
