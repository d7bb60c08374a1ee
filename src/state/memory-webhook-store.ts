import {
  MAX_DELIVERIES_KEPT,
  type WebhookDeliveryRecord,
  type WebhookEndpointRecord,
  type WebhookStore,
} from '../webhooks/endpoint-store.js';

/** Webhook endpoints and deliveries in this process (memory mode: lost on restart, like campaigns). */
export function createMemoryWebhookStore(): WebhookStore {
  const endpoints = new Map<string, Map<string, WebhookEndpointRecord>>();
  /** Per endpoint id: deliveries by id, in the order created (a Map keeps insertion order). */
  const deliveries = new Map<string, Map<string, WebhookDeliveryRecord>>();
  const ofTenant = (tenant: string) => {
    let map = endpoints.get(tenant);
    if (!map) endpoints.set(tenant, (map = new Map()));
    return map;
  };
  return {
    create(endpoint, max) {
      const map = ofTenant(endpoint.tenant);
      if (map.size >= max) return Promise.resolve(false);
      map.set(endpoint.id, endpoint);
      return Promise.resolve(true);
    },
    list: (tenant) => Promise.resolve([...(endpoints.get(tenant)?.values() ?? [])]),
    get: (tenant, id) => Promise.resolve(endpoints.get(tenant)?.get(id)),
    delete(tenant, id) {
      const deleted = endpoints.get(tenant)?.delete(id) ?? false;
      if (deleted) deliveries.delete(id);
      return Promise.resolve(deleted);
    },
    update(endpoint) {
      const map = endpoints.get(endpoint.tenant);
      if (!map?.has(endpoint.id)) return Promise.resolve(false);
      map.set(endpoint.id, endpoint);
      return Promise.resolve(true);
    },
    putDelivery(delivery) {
      if (!endpoints.get(delivery.tenant)?.has(delivery.endpointId)) return Promise.resolve();
      let map = deliveries.get(delivery.endpointId);
      if (!map) deliveries.set(delivery.endpointId, (map = new Map()));
      map.set(delivery.id, delivery);
      if (map.size > MAX_DELIVERIES_KEPT) map.delete(map.keys().next().value!);
      return Promise.resolve();
    },
    getDelivery(tenant, endpointId, id) {
      const found = deliveries.get(endpointId)?.get(id);
      return Promise.resolve(found?.tenant === tenant ? found : undefined);
    },
    deliveries(tenant, endpointId, first, after) {
      const all = [...(deliveries.get(endpointId)?.values() ?? [])].filter((d) => d.tenant === tenant).reverse();
      const start = after === undefined ? 0 : all.findIndex((d) => d.id === after) + 1;
      if (after !== undefined && start === 0) return Promise.resolve({ deliveries: [], hasNextPage: false });
      return Promise.resolve({ deliveries: all.slice(start, start + first), hasNextPage: start + first < all.length });
    },
  };
}
