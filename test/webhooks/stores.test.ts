import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createMemoryWebhookStore } from '../../src/state/memory-webhook-store.js';
import { createRedisWebhookStore } from '../../src/state/redis-webhook-store.js';
import type { WebhookDeliveryRecord, WebhookEndpointRecord, WebhookStore } from '../../src/webhooks/endpoint-store.js';
import { REDIS_URL, redisForTests, uniquePrefix } from '../helpers/redis.js';

/** The webhook store's contract, held by the memory and the Redis implementation alike. */

const redisAvailable = await redisForTests();
const clients: Redis[] = [];
afterAll(async () => {
  for (const client of clients) await client.quit();
});

const stores: Array<[string, () => WebhookStore]> = [
  ['memory', () => createMemoryWebhookStore()],
  ...(redisAvailable
    ? [
        [
          'Redis',
          () => {
            const client = new Redis(REDIS_URL);
            clients.push(client);
            return createRedisWebhookStore(client, uniquePrefix());
          },
        ] as [string, () => WebhookStore],
      ]
    : []),
];

let seq = 0;
const endpoint = (tenant: string, extra: Partial<WebhookEndpointRecord> = {}): WebhookEndpointRecord => ({
  id: `we_${(seq += 1)}`,
  tenant,
  url: 'https://hooks.example.com/',
  events: ['REPLY_RECEIVED'],
  createdAt: new Date(Date.UTC(2026, 11, 5, 12, 0, seq)),
  secret: 'whsec_c2VjcmV0',
  ...extra,
});
const delivery = (of: WebhookEndpointRecord, id: string, at: number): WebhookDeliveryRecord => ({
  id,
  endpointId: of.id,
  tenant: of.tenant,
  type: 'REPLY_RECEIVED',
  createdAt: new Date(at),
  status: 'PENDING',
  attemptCount: 0,
  attempts: [],
  nextAttemptAt: new Date(at),
});

describe.each(stores)('the %s webhook store', (_name, make) => {
  it('keeps at most `max` endpoints per tenant, each tenant counted apart', async () => {
    const store = make();
    expect(await store.create(endpoint('a'), 2)).toBe(true);
    expect(await store.create(endpoint('a'), 2)).toBe(true);
    expect(await store.create(endpoint('a'), 2)).toBe(false);
    expect(await store.create(endpoint('b'), 2)).toBe(true);
    expect(await store.list('a')).toHaveLength(2);
  });

  it('reads, updates and deletes only within the tenant; dates and secrets survive the round trip', async () => {
    const store = make();
    const mine = endpoint('a', { previousSecret: { secret: 'whsec_b2xk', until: new Date(Date.UTC(2026, 11, 6)) } });
    await store.create(mine, 10);
    expect(await store.get('a', mine.id)).toEqual(mine);
    expect(await store.get('b', mine.id)).toBeUndefined();
    expect(await store.update({ ...mine, tenant: 'b', secret: 'whsec_x' })).toBe(false);
    expect(await store.delete('b', mine.id)).toBe(false);
    expect(await store.update({ ...mine, secret: 'whsec_new' })).toBe(true);
    expect((await store.get('a', mine.id))?.secret).toBe('whsec_new');
    expect(await store.delete('a', mine.id)).toBe(true);
    expect(await store.get('a', mine.id)).toBeUndefined();
    expect(await store.update(mine)).toBe(false);
  });

  it('pages deliveries newest first, by the id of the last one; another tenant reads none', async () => {
    const store = make();
    const mine = endpoint('a');
    await store.create(mine, 10);
    for (let n = 1; n <= 5; n += 1) await store.putDelivery(delivery(mine, `msg_${n}`, Date.UTC(2026, 11, 5, 12, n)));
    // An update keeps the delivery's place.
    await store.putDelivery({ ...delivery(mine, 'msg_2', Date.UTC(2026, 11, 5, 12, 2)), status: 'SUCCEEDED' });
    const first = await store.deliveries('a', mine.id, 2);
    expect(first.deliveries.map((d) => d.id)).toEqual(['msg_5', 'msg_4']);
    expect(first.hasNextPage).toBe(true);
    const rest = await store.deliveries('a', mine.id, 10, 'msg_4');
    expect(rest.deliveries.map((d) => d.id)).toEqual(['msg_3', 'msg_2', 'msg_1']);
    expect(rest.hasNextPage).toBe(false);
    expect(rest.deliveries[1]).toMatchObject({
      status: 'SUCCEEDED',
      createdAt: new Date(Date.UTC(2026, 11, 5, 12, 2)),
    });
    expect(await store.getDelivery('b', mine.id, 'msg_1')).toBeUndefined();
    expect((await store.deliveries('b', mine.id, 10)).deliveries).toEqual([]);
    expect((await store.deliveries('a', mine.id, 10, 'msg_unknown')).deliveries).toEqual([]);
  });
});
