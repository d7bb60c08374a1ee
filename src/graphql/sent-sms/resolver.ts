import { GraphQLError } from 'graphql';
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Query,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import { ANONYMOUS_CALLER, SCOPES } from '../../auth/caller.js';
import { requireScopes } from '../auth-checker.js';
import type { DeliveryFeed } from '../../deliveries/feed.js';
import { requestUpdates } from '../../deliveries/request-updates.js';
import { ErrorCode } from '../../error-codes.js';
import type { SentMessage } from '../../send/send-log.js';
import type { SentMessages } from '../../send/sent-messages.js';
import type { RequestContext } from '../request-context.js';
import { PromotionSmsRequest } from './promotion-sms-request.js';
import { SmsSent } from './sms-sent.js';
import { globalId } from '../node/global-id.js';

/** A subscription's `subscribe` is static (no resolver instance): its stores come with the context. */
function deliveries(context: RequestContext): NonNullable<RequestContext['deliveries']> {
  if (!context.deliveries) throw new Error('subscriptions need the delivery stores in the context');
  return context.deliveries;
}

/** Reads back messages this service sent, and their delivery, through the read use case (sent-messages.ts). */
@Resolver(() => SmsSent)
export class SentSmsResolver {
  constructor(
    private readonly sentMessages: SentMessages,
    private readonly feed: Pick<DeliveryFeed, 'subscribe'>,
  ) {}

  @FieldResolver(() => ID, { description: 'Its global id (Node): opaque; `node(id:)` reads it back.' })
  id(@Root() message: Pick<SmsSent, 'messageId'>): string {
    return globalId('SmsSent', message.messageId);
  }

  @Authorized(SCOPES.read)
  @Query(() => SmsSent, {
    nullable: true,
    description:
      'A message this service sent for your tenant, by SMN message id, from the send log (or the history, ' +
      'when enabled, once the send log forgot it); null when it is unknown, has aged out of both, or was sent ' +
      'under another tenant. Needs scope sms:read.',
  })
  async sentSms(
    @Arg('messageId', () => String) messageId: string,
    @Ctx() context: RequestContext,
  ): Promise<SmsSent | null> {
    const message = await this.sentMessages.message(context.caller ?? ANONYMOUS_CALLER, messageId);
    return message ? SmsSent.from(message) : null;
  }

  @Authorized(SCOPES.read)
  @Query(() => PromotionSmsRequest, {
    nullable: true,
    description:
      'Everything known about one publishPromotionSms call, by its requestId: its messages and their ' +
      'delivery, from the send log (or the history, when enabled, once the send log forgot them); null when ' +
      'unknown, aged out of both, or sent under another tenant. Scope sms:read.',
  })
  async promotionSmsRequest(
    @Arg('requestId', () => String) requestId: string,
    @Ctx() context: RequestContext,
  ): Promise<PromotionSmsRequest | null> {
    const own = await this.sentMessages.request(context.caller ?? ANONYMOUS_CALLER, requestId);
    return own ? PromotionSmsRequest.from(own.request, own.messages) : null;
  }

  @Subscription(() => SmsSent, {
    description:
      "The delivery of this request's messages, from the current state to the end (over WebSocket, " +
      'graphql-ws): first every message whose status is already final (send order), then each message as its ' +
      'status becomes final; completes once every message is final. Scope sms:read.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { requestId: string }, RequestContext>) => {
      requireScopes(context.caller, [SCOPES.read]);
      const requestId = String(args.requestId);
      const updates = await requestUpdates(deliveries(context), context.caller ?? ANONYMOUS_CALLER, requestId);
      if (!updates) {
        // Unknown and another tenant's are one answer: nothing confirms that an id exists.
        throw new GraphQLError('No request with this requestId for you (unknown, aged out, or not yours).', {
          extensions: { code: ErrorCode.BAD_USER_INPUT },
        });
      }
      return updates;
    },
  })
  smsDeliveryUpdates(@Root() message: SentMessage, @Arg('requestId', () => String) _requestId: string): SmsSent {
    return SmsSent.from(message);
  }
}
