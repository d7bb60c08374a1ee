import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { tenantOf, type Caller } from '../auth/caller.js';
import type { Clock } from '../util/clock.js';
import type { DeliveryPage, WebhookEndpointRecord, WebhookStore } from './endpoint-store.js';
import { webhookBody, type WebhookEvent, type WebhookEventType } from './events.js';
import type { WebhookQueue } from './queue.js';
import { newMessageId, newWebhookSecret } from './signing.js';
import { urlProblem, type UrlPolicy } from './url-policy.js';

/** A refused management call (answered BAD_USER_INPUT naming the field); nothing was changed. */
export class WebhookRefusal extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'WebhookRefusal';
  }
}

/** After a rotation the previous secret keeps signing this long (receivers switch over meanwhile). */
export const SECRET_GRACE_MS = 24 * 60 * 60 * 1000;
export const MAX_DESCRIPTION_LENGTH = 200;

export interface WebhookOptions {
  readonly store: WebhookStore;
  readonly queue: WebhookQueue;
  readonly urls: UrlPolicy;
  /** WEBHOOK_MAX_ENDPOINTS_PER_TENANT. */
  readonly maxEndpoints: number;
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface NewEndpoint {
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly description?: string | undefined;
}

/** An endpoint with the secret that now signs: answered once, at create and rotate. */
export interface EndpointWithSecret {
  readonly endpoint: WebhookEndpointRecord;
  readonly secret: string;
}

const notFound = () => new WebhookRefusal('id', 'No webhook endpoint with this id for you (unknown, or not yours).');

/**
 * A tenant's webhook endpoints (create, list, delete, rotate, deliveries: every read scoped to the
 * caller's tenant, another tenant's id reads as none) and the dispatch of events to them.
 */
export function createWebhooks(options: WebhookOptions) {
  const { store, queue, clock, logger } = options;
  const endpointOf = async (caller: Caller, id: string) => {
    const endpoint = await store.get(tenantOf(caller), id);
    if (!endpoint) throw notFound();
    return endpoint;
  };
  return {
    async create(caller: Caller, input: NewEndpoint): Promise<EndpointWithSecret> {
      const problem = urlProblem(input.url, options.urls);
      if (problem) throw new WebhookRefusal('url', `The url ${problem}.`);
      if (input.events.length === 0) throw new WebhookRefusal('events', 'Name at least one event.');
      if ((input.description?.length ?? 0) > MAX_DESCRIPTION_LENGTH) {
        throw new WebhookRefusal('description', `At most ${MAX_DESCRIPTION_LENGTH} characters.`);
      }
      const endpoint: WebhookEndpointRecord = {
        id: `we_${randomBytes(12).toString('hex')}`,
        tenant: tenantOf(caller),
        url: new URL(input.url).href,
        events: [...new Set(input.events)],
        ...(input.description !== undefined && { description: input.description }),
        createdAt: clock.now(),
        secret: newWebhookSecret(),
      };
      if (!(await store.create(endpoint, options.maxEndpoints))) {
        throw new WebhookRefusal(
          'url',
          `This tenant already has ${options.maxEndpoints} webhook endpoints (WEBHOOK_MAX_ENDPOINTS_PER_TENANT); delete one first.`,
        );
      }
      logger.info({ endpointId: endpoint.id, events: endpoint.events }, 'webhook endpoint created');
      return { endpoint, secret: endpoint.secret };
    },

    list: (caller: Caller) => store.list(tenantOf(caller)),

    async delete(caller: Caller, id: string): Promise<boolean> {
      const deleted = await store.delete(tenantOf(caller), id);
      if (deleted) logger.info({ endpointId: id }, 'webhook endpoint deleted');
      return deleted;
    },

    /** A new secret signs from now on; the previous one also signs for SECRET_GRACE_MS. */
    async rotate(caller: Caller, id: string): Promise<EndpointWithSecret> {
      const endpoint = await endpointOf(caller, id);
      const rotated: WebhookEndpointRecord = {
        ...endpoint,
        secret: newWebhookSecret(),
        previousSecret: { secret: endpoint.secret, until: new Date(clock.now().getTime() + SECRET_GRACE_MS) },
      };
      if (!(await store.update(rotated))) throw notFound();
      logger.info({ endpointId: id }, 'webhook secret rotated');
      return { endpoint: rotated, secret: rotated.secret };
    },

    async deliveries(caller: Caller, endpointId: string, first: number, after?: string): Promise<DeliveryPage> {
      const endpoint = await endpointOf(caller, endpointId);
      return store.deliveries(endpoint.tenant, endpoint.id, first, after);
    },

    /**
     * Queues the event for every endpoint of its tenant that asked for its type. A failure is logged and
     * swallowed: the change it describes is already kept.
     */
    async dispatch(event: WebhookEvent): Promise<number> {
      const endpoints = (await store.list(event.tenant)).filter((endpoint) => endpoint.events.includes(event.type));
      const body = webhookBody(event);
      // The subject may be a number: the key carries its hash only.
      const subject = createHash('sha256').update(`${event.type}:${event.subject}`).digest('base64url').slice(0, 22);
      for (const endpoint of endpoints) {
        const orderKey = `${endpoint.id}-${subject}`;
        const deliveryId = newMessageId();
        const createdAt = clock.now();
        await store.putDelivery({
          id: deliveryId,
          endpointId: endpoint.id,
          tenant: event.tenant,
          type: event.type,
          createdAt,
          status: 'PENDING',
          attemptCount: 0,
          attempts: [],
          nextAttemptAt: createdAt,
        });
        await queue.add({
          deliveryId,
          endpointId: endpoint.id,
          tenant: event.tenant,
          orderKey,
          body,
          createdAt: createdAt.getTime(),
          attempt: 0,
        });
      }
      return endpoints.length;
    },
  };
}

export type Webhooks = ReturnType<typeof createWebhooks>;

/**
 * The emit the event sources are given: dispatches in the background, in the order events were
 * emitted (one chain), never failing the change that emitted it.
 */
export function backgroundEmit(webhooks: Pick<Webhooks, 'dispatch'>, logger: Logger) {
  let chain: Promise<unknown> = Promise.resolve();
  const emit = (event: WebhookEvent): void => {
    chain = chain
      .then(() => webhooks.dispatch(event))
      .catch((error: unknown) => logger.warn({ err: error, type: event.type }, 'could not queue a webhook event'));
  };
  return Object.assign(emit, { settled: () => chain.then(() => undefined) });
}
