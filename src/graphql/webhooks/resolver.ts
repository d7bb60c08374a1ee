import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { ANONYMOUS_CALLER, SCOPES } from '../../auth/caller.js';
import type { Webhooks } from '../../webhooks/webhooks.js';
import { connectionOf, pageSize } from '../page-info.js';
import type { RequestContext } from '../request-context.js';
import { badUserInput } from '../validation.js';
import { CreateWebhookEndpointInput } from './inputs.js';
import { WebhookDelivery, WebhookDeliveryPage, WebhookEndpoint, WebhookEndpointWithSecret } from './types.js';

const MAX_PAGE = 100;
const DELIVERY_ID = /^msg_[0-9a-f]{32}$/;

function withSecret({ endpoint, secret }: Awaited<ReturnType<Webhooks['create']>>): WebhookEndpointWithSecret {
  return Object.assign(new WebhookEndpointWithSecret(), {
    endpoint: WebhookEndpoint.from(endpoint, new Date()),
    secret,
  });
}

/** Tenants' webhook endpoints: every field scoped to the caller's tenant. Scope sms:webhooks:write. */
@Resolver()
export class WebhooksResolver {
  constructor(private readonly webhooks: Webhooks) {}

  @Authorized(SCOPES.webhooksWrite)
  @Mutation(() => WebhookEndpointWithSecret, {
    description:
      'A new webhook endpoint for your tenant; its signing secret is answered this once. At most ' +
      'WEBHOOK_MAX_ENDPOINTS_PER_TENANT endpoints (past it, BAD_USER_INPUT). Scope sms:webhooks:write.',
  })
  async createWebhookEndpoint(
    @Arg('input', () => CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Ctx() context: RequestContext,
  ): Promise<WebhookEndpointWithSecret> {
    const caller = context.caller ?? ANONYMOUS_CALLER;
    return withSecret(
      await this.webhooks.create(caller, {
        url: input.url,
        events: input.events,
        description: input.description ?? undefined,
      }),
    );
  }

  @Authorized(SCOPES.webhooksWrite)
  @Mutation(() => Boolean, {
    description:
      'Deletes the endpoint: its pending deliveries are dropped. False when you have no endpoint with this id. ' +
      'Scope sms:webhooks:write.',
  })
  deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<boolean> {
    return this.webhooks.delete(context.caller ?? ANONYMOUS_CALLER, id);
  }

  @Authorized(SCOPES.webhooksWrite)
  @Mutation(() => WebhookEndpointWithSecret, {
    description:
      'A new signing secret, answered this once; the previous one also signs for 24 hours (two v1 signatures) ' +
      'while your receivers switch. BAD_USER_INPUT when you have no endpoint with this id. Scope sms:webhooks:write.',
  })
  async rotateWebhookSecret(
    @Arg('id', () => ID) id: string,
    @Ctx() context: RequestContext,
  ): Promise<WebhookEndpointWithSecret> {
    return withSecret(await this.webhooks.rotate(context.caller ?? ANONYMOUS_CALLER, id));
  }

  @Authorized(SCOPES.webhooksWrite)
  @Query(() => [WebhookEndpoint], {
    description: "Your tenant's webhook endpoints (no secrets). Scope sms:webhooks:write.",
  })
  async webhookEndpoints(@Ctx() context: RequestContext): Promise<WebhookEndpoint[]> {
    const now = new Date();
    return (await this.webhooks.list(context.caller ?? ANONYMOUS_CALLER)).map((record) =>
      WebhookEndpoint.from(record, now),
    );
  }

  @Authorized(SCOPES.webhooksWrite)
  @Query(() => WebhookDeliveryPage, {
    description:
      "One endpoint's deliveries, newest first, with their attempts and the receiver's answers (the last 500 " +
      'deliveries, for 7 days). BAD_USER_INPUT when you have no endpoint with this id. Scope sms:webhooks:write.',
  })
  async webhookDeliveries(
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('first', () => Int, { defaultValue: 20, description: `1 to ${MAX_PAGE}.` }) first: number,
    @Arg('after', () => String, { nullable: true, description: "The previous page's endCursor." })
    after: string | null | undefined,
    @Ctx() context: RequestContext,
  ): Promise<WebhookDeliveryPage> {
    const size = pageSize(first, MAX_PAGE);
    if (after != null && !DELIVERY_ID.test(after)) {
      throw badUserInput([{ field: 'after', message: 'is not a cursor this field gave' }], 'nothing was read');
    }
    const page = await this.webhooks.deliveries(
      context.caller ?? ANONYMOUS_CALLER,
      endpointId,
      size,
      after ?? undefined,
    );
    // A delivery's id is its cursor: the store reads on after it.
    const edges = page.deliveries.map((delivery) => ({ cursor: delivery.id, node: WebhookDelivery.from(delivery) }));
    return Object.assign(new WebhookDeliveryPage(), connectionOf(edges, page.hasNextPage, after));
  }
}
