import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ANONYMOUS_CALLER, SCOPES } from '../../auth/caller.js';
import type { Campaigns } from '../../campaigns/campaigns.js';
import type { SentMessages } from '../../send/sent-messages.js';
import { requireScopes } from '../auth-checker.js';
import { PromotionCampaign } from '../campaigns/types.js';
import type { RequestContext } from '../request-context.js';
import { PromotionSmsRequest } from '../sent-sms/promotion-sms-request.js';
import { SmsSent } from '../sent-sms/sms-sent.js';
import { decodeGlobalId, type NodeTypeName } from './global-id.js';
import { Node } from './node.js';

/** The scopes each type's own query needs: `node` asks the same, so it is never a way around them. */
const SCOPES_OF: Readonly<Record<NodeTypeName, readonly string[]>> = {
  SmsSent: [SCOPES.read],
  PromotionSmsRequest: [SCOPES.read],
  PromotionCampaign: [SCOPES.read],
};

/** Node's type resolver, synchronous (the subgraph build installs it as `__resolveType`). */
export function resolveNodeType(value: object): NodeTypeName {
  if (value instanceof PromotionCampaign) return 'PromotionCampaign';
  if (value instanceof PromotionSmsRequest) return 'PromotionSmsRequest';
  return 'SmsSent';
}

/**
 * `Query.node`: any object by its global id, read through the same use cases, tenant checks and scopes
 * as its own query. Another tenant's id answers null exactly like an unknown one.
 */
@Resolver()
export class NodeResolver {
  constructor(
    private readonly sentMessages: Pick<SentMessages, 'message' | 'request'>,
    private readonly campaigns: Pick<Campaigns, 'get'>,
  ) {}

  @Query(() => Node, {
    nullable: true,
    description:
      "Any object by its global id (Relay's Node): null when unknown, aged out, or another tenant's; an id no " +
      "object of this service could have is BAD_USER_INPUT. Needs the scope of the object type's own query " +
      '(sms:read for SmsSent, PromotionSmsRequest and PromotionCampaign).',
  })
  async node(@Arg('id', () => ID) id: string, @Ctx() context: RequestContext): Promise<Node | SmsSent | null> {
    const { type, key } = decodeGlobalId(id);
    requireScopes(context.caller, SCOPES_OF[type]);
    const caller = context.caller ?? ANONYMOUS_CALLER;
    switch (type) {
      case 'SmsSent': {
        const message = await this.sentMessages.message(caller, key);
        return message ? SmsSent.from(message) : null;
      }
      case 'PromotionSmsRequest': {
        const own = await this.sentMessages.request(caller, key);
        return own ? PromotionSmsRequest.from(own.request, own.messages) : null;
      }
      case 'PromotionCampaign': {
        const campaign = await this.campaigns.get(caller, key);
        return campaign ? PromotionCampaign.from(campaign) : null;
      }
    }
  }
}
