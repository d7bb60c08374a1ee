import { ANONYMOUS_CALLER, SCOPES } from '../../auth/caller.js';
import { requireScopes } from '../auth-checker.js';
import type { Campaigns } from '../../campaigns/campaigns.js';
import type { RequestContext } from '../request-context.js';
import { PromotionCampaign } from './types.js';

/** `_entities` for PromotionCampaign: the caller's tenant's campaign by id, or null. */
export function promotionCampaignReferenceResolvers(campaigns: Pick<Campaigns, 'get'>) {
  return {
    PromotionCampaign: {
      async __resolveReference(reference: Record<string, unknown>, context: RequestContext) {
        requireScopes(context.caller, [SCOPES.read]);
        const { id } = reference;
        if (typeof id !== 'string') return null;
        const campaign = await campaigns.get(context.caller ?? ANONYMOUS_CALLER, id);
        return campaign ? PromotionCampaign.from(campaign) : null;
      },
    },
  };
}
