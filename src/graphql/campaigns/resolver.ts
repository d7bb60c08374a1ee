import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
  type SubscribeResolverData,
} from 'type-graphql';
import { ANONYMOUS_CALLER, SCOPES } from '../../auth/caller.js';
import { requireScopes } from '../auth-checker.js';
import type { Campaigns } from '../../campaigns/campaigns.js';
import { campaignNotFound } from '../../campaigns/refusals.js';
import { CAMPAIGN_ID, type Campaign } from '../../campaigns/campaign.js';
import { ENDPOINT_RULE, phoneNumberOf } from '../endpoint-rules.js';
import { SmsFailed } from '../promotion-sms/sms-failed.js';
import type { RequestContext } from '../request-context.js';
import { badUserInput, type FieldProblem } from '../validation.js';
import { connectionOf, offsetCursors, pageSize } from '../page-info.js';
import { AddPromotionCampaignRecipientsInput, CreatePromotionCampaignInput } from './inputs.js';
import { campaignUpdates } from './updates.js';
import {
  AddPromotionCampaignRecipientsPayload,
  InvalidRecipient,
  PromotionCampaign,
  PromotionCampaignPage,
  PromotionCampaignStatus,
  SmsFailedPage,
} from './types.js';

const MAX_INVALID_SAMPLES = 50;
const MAX_PAGE = { campaigns: 100, failures: 1000 };

const failureCursors = offsetCursors('f');

const callerOf = (context: RequestContext) => context.caller ?? ANONYMOUS_CALLER;

@Resolver(() => PromotionCampaign)
export class CampaignsResolver {
  constructor(private readonly campaigns: Campaigns) {}

  @Authorized(SCOPES.send)
  @Mutation(() => PromotionCampaign, {
    description:
      'Creates a DRAFT campaign (nothing is sent until it is started). A tenant has at most ' +
      'CAMPAIGN_MAX_OPEN_PER_TENANT campaigns not yet finished: past it, CAMPAIGN_LIMIT_REACHED and nothing is ' +
      'created. Scope sms:promotion:send.',
  })
  async createPromotionCampaign(
    @Arg('input', () => CreatePromotionCampaignInput) input: CreatePromotionCampaignInput,
    @Ctx() context: RequestContext,
  ): Promise<PromotionCampaign> {
    const campaign = await this.campaigns.create(callerOf(context), {
      name: input.name,
      smsTemplateId: input.smsTemplateId,
      signId: input.signId ?? undefined,
      extendCode: input.extendCode ?? undefined,
      extendSrcId: input.extendSrcId ?? undefined,
      startAt: input.startAt ?? undefined,
      messagesPerSecond: input.messagesPerSecond ?? undefined,
      idempotencyKey: input.idempotencyKey ?? undefined,
    });
    return PromotionCampaign.from(campaign);
  }

  @Authorized(SCOPES.send)
  @Mutation(() => AddPromotionCampaignRecipientsPayload, {
    description:
      'Adds up to 10000 numbers to a DRAFT campaign, de-duplicated across the whole campaign by canonical ' +
      'number. At most CAMPAIGN_MAX_RECIPIENTS in all: past it, BAD_USER_INPUT and nothing from the call is ' +
      'added; in memory mode past the replica budget CAMPAIGN_MEMORY_MAX_RECIPIENTS, CAMPAIGN_LIMIT_REACHED ' +
      'and nothing added. Scope sms:promotion:send.',
  })
  async addPromotionCampaignRecipients(
    @Arg('input', () => AddPromotionCampaignRecipientsInput) input: AddPromotionCampaignRecipientsInput,
    @Ctx() context: RequestContext,
  ): Promise<AddPromotionCampaignRecipientsPayload> {
    const entries: Array<{ endpoint: string; canonical: string }> = [];
    const invalid: FieldProblem[] = [];
    const samples: InvalidRecipient[] = [];
    input.endpoints.forEach((endpoint, index) => {
      const canonical = phoneNumberOf(endpoint);
      if (canonical !== undefined) entries.push({ endpoint, canonical });
      else {
        invalid.push({ field: `endpoints[${index}]`, message: ENDPOINT_RULE });
        if (samples.length < MAX_INVALID_SAMPLES)
          samples.push(Object.assign(new InvalidRecipient(), { index, message: ENDPOINT_RULE }));
      }
    });
    if (invalid.length > 0 && input.skipInvalid !== true) throw badUserInput(invalid, 'nothing was added');
    if (entries.length === 0) {
      throw badUserInput([{ field: 'endpoints', message: 'contains no valid phone number' }], 'nothing was added');
    }
    const result = await this.campaigns.addRecipients(callerOf(context), input.campaignId, entries);
    return Object.assign(new AddPromotionCampaignRecipientsPayload(), {
      campaign: PromotionCampaign.from(result.campaign),
      added: result.added,
      duplicatesRemoved: result.duplicatesRemoved,
      invalid: invalid.length,
      invalidSamples: samples,
    });
  }

  @Authorized(SCOPES.send)
  @Mutation(() => PromotionCampaign, {
    description:
      'Starts a DRAFT campaign with at least one recipient: RUNNING, or SCHEDULED when its startAt is in the ' +
      'future. Scope sms:promotion:send.',
  })
  async startPromotionCampaign(
    @Arg('id', () => ID) id: string,
    @Ctx() context: RequestContext,
  ): Promise<PromotionCampaign> {
    return PromotionCampaign.from(await this.campaigns.start(callerOf(context), id));
  }

  @Authorized(SCOPES.send)
  @Mutation(() => PromotionCampaign, {
    description:
      'Pauses a RUNNING or SCHEDULED campaign: no new batch starts; one in flight completes. Scope sms:promotion:send.',
  })
  async pausePromotionCampaign(
    @Arg('id', () => ID) id: string,
    @Ctx() context: RequestContext,
  ): Promise<PromotionCampaign> {
    return PromotionCampaign.from(await this.campaigns.pause(callerOf(context), id));
  }

  @Authorized(SCOPES.send)
  @Mutation(() => PromotionCampaign, {
    description:
      'Resumes a PAUSED campaign (also one the gateway paused, e.g. after SMN_REJECTED: its batch is tried ' +
      'again). Scope sms:promotion:send.',
  })
  async resumePromotionCampaign(
    @Arg('id', () => ID) id: string,
    @Ctx() context: RequestContext,
  ): Promise<PromotionCampaign> {
    return PromotionCampaign.from(await this.campaigns.resume(callerOf(context), id));
  }

  @Authorized(SCOPES.send)
  @Mutation(() => PromotionCampaign, {
    description:
      'Cancels a campaign that has not finished: the remaining batches are dropped. Scope sms:promotion:send.',
  })
  async cancelPromotionCampaign(
    @Arg('id', () => ID) id: string,
    @Ctx() context: RequestContext,
  ): Promise<PromotionCampaign> {
    return PromotionCampaign.from(await this.campaigns.cancel(callerOf(context), id));
  }

  @Authorized(SCOPES.read)
  @Query(() => PromotionCampaign, {
    nullable: true,
    description: "One of your tenant's campaigns; null when unknown, expired or another tenant's. Scope sms:read.",
  })
  async promotionCampaign(
    @Arg('id', () => ID) id: string,
    @Ctx() context: RequestContext,
  ): Promise<PromotionCampaign | null> {
    const campaign = await this.campaigns.get(callerOf(context), id);
    return campaign ? PromotionCampaign.from(campaign) : null;
  }

  @Authorized(SCOPES.read)
  @Query(() => PromotionCampaignPage, { description: "Your tenant's campaigns, newest first. Scope sms:read." })
  async promotionCampaigns(
    @Arg('first', () => Int, { defaultValue: 20, nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Arg('status', () => PromotionCampaignStatus, { nullable: true }) status: PromotionCampaignStatus | undefined,
    @Ctx() context: RequestContext,
  ): Promise<PromotionCampaignPage> {
    if (after != null && !CAMPAIGN_ID.test(after)) {
      throw badUserInput([{ field: 'after', message: 'is not a cursor this field gave' }], 'nothing was read');
    }
    const page = await this.campaigns.list(callerOf(context), {
      first: pageSize(first ?? 20, MAX_PAGE.campaigns),
      after: after ?? undefined,
      status: status ?? undefined,
    });
    // A campaign's cursor is its id: the store reads on after it (newest first).
    const edges = page.campaigns.map((campaign) => ({ cursor: campaign.id, node: PromotionCampaign.from(campaign) }));
    return Object.assign(new PromotionCampaignPage(), connectionOf(edges, page.hasNextPage, after, page.endCursor));
  }

  @FieldResolver(() => SmsFailedPage, {
    description: 'Numbers not sent (refused by SMN, failed batches, held back), in the order their batches finished.',
  })
  async failures(
    @Root() campaign: PromotionCampaign,
    @Arg('first', () => Int, { defaultValue: 100, nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | undefined,
    @Ctx() context: RequestContext,
  ): Promise<SmsFailedPage> {
    const count = pageSize(first ?? 100, MAX_PAGE.failures);
    const offset = failureCursors.offset(after);
    const { failures, total } = await this.campaigns.failures(callerOf(context), campaign.id, offset, count);
    const nodes = failures.map((failure) =>
      Object.assign(new SmsFailed(), { endpoint: failure.endpoint, code: failure.code, message: failure.message }),
    );
    const hasNextPage = nodes.length > 0 && offset + nodes.length < total;
    return Object.assign(new SmsFailedPage(), connectionOf(failureCursors.edges(offset, nodes), hasNextPage, after));
  }

  @Subscription(() => PromotionCampaign, {
    description:
      'The campaign from the current state to the end (over WebSocket, graphql-ws): first as it is, then after ' +
      'each batch, status change and counted delivery report; completes once it is COMPLETED or CANCELLED and ' +
      'every message it sent has a final delivery status, or CAMPAIGN_UPDATES_SETTLE_SECONDS after the stream ' +
      'saw it finished. Scope sms:read.',
    subscribe: async ({ args, context }: SubscribeResolverData<unknown, { id: string }, RequestContext>) => {
      requireScopes(context.caller, [SCOPES.read]);
      const sources = context.campaigns;
      if (!sources) throw new Error('subscriptions need the campaign sources in the context');
      const caller = callerOf(context);
      const id = String(args.id);
      const updates = await campaignUpdates(sources, caller, id);
      if (!updates) throw campaignNotFound();
      return updates;
    },
  })
  promotionCampaignUpdates(@Root() campaign: Campaign, @Arg('id', () => ID) _id: string): PromotionCampaign {
    return PromotionCampaign.from(campaign);
  }
}
