import {
  MAX_DELIVERIES_KEPT,
  type WebhookDeliveryRecord,
  type WebhookEndpointRecord,
  type WebhookStore,
} from '../webhooks/endpoint-store.js';
import type { RedisClient } from './redis-client.js';

/** Deliveries are kept this long after their last change (the retry window and some days to look back). */
const DELIVERY_TTL_SECONDS = 7 * 24 * 3600;

const CREATE = `
if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

const UPDATE = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1`;

type Stored<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | undefined ? string | undefined : T[K];
};

function readEndpoint(raw: string): WebhookEndpointRecord {
  const stored = JSON.parse(raw) as Stored<WebhookEndpointRecord> & {
    previousSecret?: { secret: string; until: string };
  };
  return {
    ...stored,
    createdAt: new Date(stored.createdAt),
    previousSecret: stored.previousSecret && {
      secret: stored.previousSecret.secret,
      until: new Date(stored.previousSecret.until),
    },
  };
}

function readDelivery(raw: string): WebhookDeliveryRecord {
  const stored = JSON.parse(raw) as Omit<WebhookDeliveryRecord, 'createdAt' | 'nextAttemptAt' | 'attempts'> & {
    createdAt: string;
    nextAttemptAt?: string;
    attempts: Array<Omit<WebhookDeliveryRecord['attempts'][number], 'at'> & { at: string }>;
  };
  return {
    ...stored,
    createdAt: new Date(stored.createdAt),
    nextAttemptAt: stored.nextAttemptAt === undefined ? undefined : new Date(stored.nextAttemptAt),
    attempts: stored.attempts.map((attempt) => ({ ...attempt, at: new Date(attempt.at) })),
  };
}

/**
 * Webhook endpoints in Redis: one hash per tenant (id → JSON; the limit checked and the endpoint kept in
 * one script), and each endpoint's deliveries as JSON strings beside a sorted set by creation, all under
 * the endpoint's hash tag (one slot in a Cluster), forgotten 7 days after their last change.
 */
export function createRedisWebhookStore(redis: RedisClient, keyPrefix: string): WebhookStore {
  const endpointsKey = (tenant: string) => `${keyPrefix}v1:webhooks:endpoints:${tenant}`;
  const deliveriesKey = (endpointId: string) => `${keyPrefix}v1:webhooks:{${endpointId}}:deliveries`;
  const deliveryKey = (endpointId: string, id: string) => `${keyPrefix}v1:webhooks:{${endpointId}}:delivery:${id}`;
  const getDelivery = async (tenant: string, endpointId: string, id: string) => {
    const raw = await redis.get(deliveryKey(endpointId, id));
    const found = raw === null ? undefined : readDelivery(raw);
    return found?.tenant === tenant ? found : undefined;
  };
  return {
    async create(endpoint, max) {
      const created = await redis.eval(
        CREATE,
        1,
        endpointsKey(endpoint.tenant),
        endpoint.id,
        JSON.stringify(endpoint),
        String(max),
      );
      return created === 1;
    },
    async list(tenant) {
      const all = await redis.hvals(endpointsKey(tenant));
      return all.map(readEndpoint).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    },
    async get(tenant, id) {
      const raw = await redis.hget(endpointsKey(tenant), id);
      return raw === null ? undefined : readEndpoint(raw);
    },
    async delete(tenant, id) {
      const deleted = await redis.hdel(endpointsKey(tenant), id);
      if (deleted === 1) await redis.del(deliveriesKey(id));
      return deleted === 1;
    },
    async update(endpoint) {
      const updated = await redis.eval(UPDATE, 1, endpointsKey(endpoint.tenant), endpoint.id, JSON.stringify(endpoint));
      return updated === 1;
    },
    async putDelivery(delivery) {
      const list = deliveriesKey(delivery.endpointId);
      await redis
        .pipeline()
        .set(deliveryKey(delivery.endpointId, delivery.id), JSON.stringify(delivery), 'EX', DELIVERY_TTL_SECONDS)
        .zadd(list, 'NX', delivery.createdAt.getTime(), delivery.id)
        .zremrangebyrank(list, 0, -(MAX_DELIVERIES_KEPT + 1))
        .expire(list, DELIVERY_TTL_SECONDS)
        .exec();
    },
    getDelivery,
    async deliveries(tenant, endpointId, first, after) {
      const list = deliveriesKey(endpointId);
      let start = 0;
      if (after !== undefined) {
        const rank = await redis.zrevrank(list, after);
        if (rank === null) return { deliveries: [], hasNextPage: false };
        start = rank + 1;
      }
      const ids = await redis.zrevrange(list, start, start + first);
      const page = ids.slice(0, first);
      const raws = page.length === 0 ? [] : await redis.mget(page.map((id) => deliveryKey(endpointId, id)));
      const deliveries = raws.flatMap((raw) => {
        const found = raw === null ? undefined : readDelivery(raw);
        return found?.tenant === tenant ? [found] : [];
      });
      return { deliveries, hasNextPage: ids.length > first };
    },
  };
}
