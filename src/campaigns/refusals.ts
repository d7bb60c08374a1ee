import type { CampaignStatus } from './campaign.js';

/**
 * A campaign request the caller must change (answered BAD_USER_INPUT by graphql/errors.ts), with the
 * campaign's status when it is the reason, and the field at fault when one is.
 */
export class CampaignRefusal extends Error {
  constructor(
    message: string,
    readonly status?: CampaignStatus,
    /** The campaign field at fault (smsTemplateId, signId), when one is. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'CampaignRefusal';
  }
}

/**
 * A bound on what campaigns may hold was reached (answered CAMPAIGN_LIMIT_REACHED, naming the setting
 * and its limit): nothing was created or added, and the same call succeeds once a campaign finishes
 * (or, for the memory budget, is smaller).
 */
export class CampaignLimitReached extends Error {
  constructor(
    message: string,
    /** The setting whose limit it is. */
    readonly setting: 'CAMPAIGN_MAX_OPEN_PER_TENANT' | 'CAMPAIGN_MEMORY_MAX_RECIPIENTS',
    readonly limit: number,
  ) {
    super(message);
    this.name = 'CampaignLimitReached';
  }
}

/** Unknown, expired and another tenant's campaign are one answer: nothing confirms that an id exists. */
export function campaignNotFound(): CampaignRefusal {
  return new CampaignRefusal('No campaign with this id for you (unknown, expired, or not yours).');
}
