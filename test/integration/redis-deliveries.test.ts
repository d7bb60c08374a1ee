import { describe, expect, it } from 'vitest';
import { PromotionSmsRequestDocument } from '../../client/generated.js';
import { startApp } from '../helpers/app.js';
import { eventually, startEventsApp, subscribe } from '../helpers/events.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { REDIS_URL, redisForTests, uniquePrefix } from '../helpers/redis.js';
import { useStack } from '../helpers/stack.js';

const hasRedis = await redisForTests();
const stack = useStack({ app: false, simulatorEnv: { SIMULATOR_REPORT_DELAY_MS: '700' } });

describe.skipIf(!hasRedis)('delivery reports across replicas sharing Redis', () => {
  it('subscribed on replica A, reports delivered to replica B: A hears them, and both answer the same statuses', async () => {
    const shared = { REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix() };
    const certificate = await stack.simulator.certificate();
    const a = await startApp(stack.env({ ...shared, SMN_EVENTS: 'callback', SMN_EVENTS_CERT: certificate }));
    const b = await startEventsApp(stack, shared); // the simulator posts every event to B
    try {
      const endpoints = ['+8613955550001', '+8613955554321'];
      const sent = await publish(a, promotionInput({ endpoints }));
      const requestId = sent.data!.publishPromotionSms.requestId;
      const subscription = subscribe(
        a.graphqlUrl,
        'subscription($requestId: String!) { smsDeliveryUpdates(requestId: $requestId) { endpoint delivery { status } } }',
        { requestId },
      );
      try {
        await eventually(async () => (subscription.received.length >= 2 ? true : undefined));
        const heard = subscription.received.map(
          (event) =>
            (event.data as { smsDeliveryUpdates: { endpoint: string; delivery: { status: string } } })
              .smsDeliveryUpdates,
        );
        expect(heard.map((update) => `${update.endpoint}:${update.delivery.status}`).sort()).toEqual([
          '+8613955550001:FAILED',
          '+8613955554321:DELIVERED',
        ]);
      } finally {
        await subscription.close();
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
});
