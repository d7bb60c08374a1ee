import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { callerIdentity, callerKey, tenantOf, type Caller } from '../auth/caller.js';
import { ErrorCode } from '../error-codes.js';
import { PolicyError } from '../errors/policy-error.js';
import { failClosed } from '../errors/fail-closed.js';
import type { SmsFailure } from '../send/match-results.js';
import type { Feed } from '../util/feed.js';
import type { Clock } from '../util/clock.js';
import { campaignAnnouncer } from './updates.js';
import { campaignNotFound, CampaignLimitReached, CampaignRefusal } from './refusals.js';
import type { BatchJob, BatchQueue } from './batch-queue.js';
import { CAMPAIGN_ID, newCampaignId, type Campaign, type CampaignMessage, type CampaignStatus } from './campaign.js';
import type { CampaignPage, CampaignStore, ListQuery, RecipientEntry } from './campaign-store.js';
import type { Existence } from '../catalog/catalog.js';
import { currentLink } from '../observability/tracing.js';

/** The use cases' refusals, answered by graphql/errors.ts (refusals.ts). */
export { CampaignLimitReached, CampaignRefusal } from './refusals.js';

export interface NewCampaignInput extends CampaignMessage {
  readonly name: string;
  readonly startAt?: Date | undefined;
  readonly messagesPerSecond?: number | undefined;
  readonly idempotencyKey?: string | undefined;
}

export interface AddedRecipients {
  readonly campaign: Campaign;
  readonly added: number;
  readonly duplicatesRemoved: number;
}

export interface CampaignsOptions {
  readonly store: CampaignStore;
  readonly queue: BatchQueue;
  readonly updates: Pick<Feed<string>, 'publish'>;
  readonly maxRecipients: number;
  /** Campaigns not yet finished one tenant may have (CAMPAIGN_MAX_OPEN_PER_TENANT). */
  readonly maxOpenPerTenant: number;
  readonly defaultMessagesPerSecond: number;
  readonly clock: Clock;
  readonly logger: Logger;
  /** A campaign cancelled here. */
  readonly cancelled?: () => void;
  /**
   * Why shared state cannot keep its promises now (lost, out of reach): then nothing that leads to a
   * send (create, add, start, resume) is done. Pause and cancel always work.
   */
  readonly stateRefusal?: () => PolicyError | undefined;
  /** SMN's templates and signatures: a start with one SMN does not know is refused. */
  /** Lookups charged to `reader` (the caller's key) against the catalog read limit. */
  readonly catalog?: {
    templateExists(id: string, reader: string): Promise<Existence>;
    signExists(id: string, reader: string): Promise<Existence>;
  };
}

const ACTIONS = {
  start: { from: ['DRAFT'], verb: 'start' },
  pause: { from: ['RUNNING', 'SCHEDULED'], verb: 'pause' },
  resume: { from: ['PAUSED'], verb: 'resume' },
  cancel: { from: ['DRAFT', 'SCHEDULED', 'RUNNING', 'PAUSED'], verb: 'cancel' },
} as const satisfies Record<string, { from: readonly CampaignStatus[]; verb: string }>;

function illegal(action: keyof typeof ACTIONS, status: CampaignStatus): CampaignRefusal {
  return new CampaignRefusal(
    `Cannot ${ACTIONS[action].verb} a campaign that is ${status}; allowed from ${ACTIONS[action].from.join(' or ')}.`,
    status,
  );
}

function notDraft(status: CampaignStatus): CampaignRefusal {
  return new CampaignRefusal(`Only a DRAFT campaign takes recipients; this one is ${status}.`, status);
}

/** The campaign input as given, hashed: a retried create with the same key must ask for the same campaign. */
function createHashOf(rest: NewCampaignInput): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        rest.name,
        rest.smsTemplateId,
        rest.signId ?? null,
        rest.extendCode ?? null,
        rest.extendSrcId ?? null,
        rest.startAt?.toISOString() ?? null,
        rest.messagesPerSecond ?? null,
      ]),
    )
    .digest('hex');
}

/**
 * The campaign use cases: create, fill, start, pause, resume, cancel, read. Reads and changes see
 * only the caller's tenant's campaigns; another tenant's id is answered like an unknown one.
 */
export function createCampaigns(options: CampaignsOptions) {
  const { store, queue, clock } = options;
  const log = options.logger.child({ component: 'campaigns' });

  const announce = campaignAnnouncer(options.updates, log);

  const refuseIfStateCannotKeep = () => {
    const refusal = options.stateRefusal?.();
    if (refusal) throw refusal;
  };
  const own = async (caller: Caller, id: string): Promise<Campaign | undefined> => {
    if (!CAMPAIGN_ID.test(id)) return undefined;
    const campaign = await failClosed(() => store.get(id));
    return campaign && campaign.tenant === tenantOf(caller) ? campaign : undefined;
  };
  const mine = async (caller: Caller, id: string): Promise<Campaign> => {
    const campaign = await own(caller, id);
    if (!campaign) throw campaignNotFound();
    return campaign;
  };

  /**
   * Asks SMN whether the template (and signature) exist before anything is queued: a wrong id is
   * refused now, not after the first batch. When SMN cannot be asked the start goes ahead (the
   * batches' own handling still applies: SMN_REJECTED pauses the campaign); when the caller's catalog
   * read limit refuses the lookup, so is the start (RATE_LIMITED, nothing changed).
   */
  const checkCatalog = async (campaign: Campaign, reader: string) => {
    const { catalog } = options;
    if (!catalog) return;
    const [template, sign] = await Promise.all([
      catalog.templateExists(campaign.smsTemplateId, reader),
      campaign.signId === undefined
        ? Promise.resolve<Existence>('exists')
        : catalog.signExists(campaign.signId, reader),
    ]);
    if (template === 'missing') {
      throw new CampaignRefusal(
        'SMN has no SMS template with this smsTemplateId; nothing was sent. Pick one from smsTemplates.',
        campaign.status,
        'smsTemplateId',
      );
    }
    if (sign === 'missing') {
      throw new CampaignRefusal(
        'SMN has no SMS signature with this signId; nothing was sent. Pick one from smsSigns.',
        campaign.status,
        'signId',
      );
    }
    if (template === 'unknown' || sign === 'unknown') {
      log.warn({ campaignId: campaign.id }, 'SMN catalog unreadable: template and signature check skipped; starting');
    }
  };

  /** Queues the batches not yet counted, for the campaign's current run. */
  const enqueue = async (campaign: Campaign) => {
    const done = await store.doneBatches(campaign.id);
    const jobs: BatchJob[] = [];
    const link = currentLink();
    for (let index = 0; index < campaign.batches; index++) {
      if (!done.has(index)) {
        jobs.push({ campaignId: campaign.id, index, generation: campaign.generation, attempt: 0, link });
      }
    }
    const now = clock.now().getTime();
    const startAt = campaign.startAt && campaign.status === 'SCHEDULED' ? campaign.startAt.getTime() : now;
    await failClosed(() => queue.add(jobs, Date.now() + Math.max(0, startAt - now)));
  };

  const change = async (
    caller: Caller,
    id: string,
    action: keyof typeof ACTIONS,
    patch: (campaign: Campaign) => Parameters<CampaignStore['transition']>[2],
  ): Promise<Campaign> => {
    const campaign = await mine(caller, id);
    if (!(ACTIONS[action].from as readonly CampaignStatus[]).includes(campaign.status))
      throw illegal(action, campaign.status);
    const result = await failClosed(() => store.transition(id, ACTIONS[action].from, patch(campaign)));
    if (!result.campaign) throw campaignNotFound();
    if (!result.changed) throw illegal(action, result.campaign.status);
    log.info({ campaignId: id, status: result.campaign.status, action }, 'campaign status changed');
    await announce(id);
    return result.campaign;
  };

  return {
    async create(caller: Caller, input: NewCampaignInput): Promise<Campaign> {
      refuseIfStateCannotKeep();
      const now = clock.now();
      const id = newCampaignId(now);
      const idempotency =
        input.idempotencyKey === undefined
          ? undefined
          : {
              key: createHash('sha256')
                .update(`${callerKey(caller)}\n${input.idempotencyKey}`)
                .digest('hex'),
              hash: createHashOf(input),
            };
      const outcome = await failClosed(() =>
        store.create(
          {
            id,
            tenant: tenantOf(caller),
            owner: callerIdentity(caller),
            name: input.name,
            smsTemplateId: input.smsTemplateId,
            signId: input.signId,
            extendCode: input.extendCode,
            extendSrcId: input.extendSrcId,
            messagesPerSecond: input.messagesPerSecond ?? options.defaultMessagesPerSecond,
            status: 'DRAFT',
            createdAt: now,
            startAt: input.startAt,
          },
          options.maxOpenPerTenant,
          idempotency,
        ),
      );
      if (outcome.outcome === 'limit-reached') {
        throw new CampaignLimitReached(
          `Your tenant already has ${outcome.open} campaigns not yet finished (DRAFT, SCHEDULED, RUNNING or ` +
            `PAUSED) and may have at most ${options.maxOpenPerTenant} (CAMPAIGN_MAX_OPEN_PER_TENANT); nothing was ` +
            'created. Let one finish, or cancel one, first.',
          'CAMPAIGN_MAX_OPEN_PER_TENANT',
          options.maxOpenPerTenant,
        );
      }
      if (outcome.outcome === 'key-reused') {
        throw new PolicyError(
          ErrorCode.IDEMPOTENCY_KEY_REUSED,
          'This idempotency key was already used to create a different campaign; nothing was created. Use a new key.',
        );
      }
      if (outcome.outcome === 'created') log.info({ campaignId: id }, 'campaign created');
      return outcome.campaign;
    },

    async addRecipients(caller: Caller, id: string, entries: readonly RecipientEntry[]): Promise<AddedRecipients> {
      refuseIfStateCannotKeep();
      const campaign = await mine(caller, id);
      if (campaign.status !== 'DRAFT') throw notDraft(campaign.status);
      const outcome = await failClosed(() => store.addRecipients(id, entries, options.maxRecipients));
      switch (outcome.outcome) {
        case 'unknown':
          throw campaignNotFound();
        case 'not-draft':
          throw notDraft(outcome.status);
        case 'too-many':
          throw new CampaignRefusal(
            `A campaign holds at most ${options.maxRecipients} recipients (CAMPAIGN_MAX_RECIPIENTS); it has ` +
              `${outcome.recipients} and this call would go past it. Nothing from this call was added.`,
          );
        case 'over-budget':
          throw new CampaignLimitReached(
            `This replica's campaigns may hold at most ${outcome.budget} recipients in all ` +
              '(CAMPAIGN_MEMORY_MAX_RECIPIENTS, memory mode) and this call would go past it. Nothing from this ' +
              'call was added. Retry when other campaigns have finished, or add fewer numbers.',
            'CAMPAIGN_MEMORY_MAX_RECIPIENTS',
            outcome.budget,
          );
        case 'added':
          await announce(id);
          return {
            campaign: (await store.get(id)) ?? campaign,
            added: outcome.added,
            duplicatesRemoved: outcome.duplicates,
          };
      }
    },

    async start(caller: Caller, id: string): Promise<Campaign> {
      refuseIfStateCannotKeep();
      const campaign = await mine(caller, id);
      if (campaign.status === 'DRAFT' && campaign.recipients === 0) {
        throw new CampaignRefusal('A campaign needs at least one recipient to start.', campaign.status);
      }
      if (campaign.status === 'DRAFT') await checkCatalog(campaign, callerKey(caller));
      const now = clock.now();
      const scheduled = campaign.startAt !== undefined && campaign.startAt > now;
      const started = await change(caller, id, 'start', () => ({
        status: scheduled ? 'SCHEDULED' : 'RUNNING',
        fixBatches: true,
        ...(!scheduled && { startedAt: now }),
      }));
      await enqueue(started);
      return started;
    },

    pause: (caller: Caller, id: string) =>
      change(caller, id, 'pause', () => ({ status: 'PAUSED', nextBatchAt: undefined, pausedReason: undefined })),

    async resume(caller: Caller, id: string): Promise<Campaign> {
      refuseIfStateCannotKeep();
      const now = clock.now();
      const resumed = await change(caller, id, 'resume', (campaign) => {
        const scheduled = campaign.startedAt === undefined && campaign.startAt !== undefined && campaign.startAt > now;
        return {
          status: scheduled ? 'SCHEDULED' : 'RUNNING',
          pausedReason: undefined,
          nextGeneration: true,
          ...(!scheduled && campaign.startedAt === undefined && { startedAt: now }),
        };
      });
      await enqueue(resumed);
      return resumed;
    },

    async cancel(caller: Caller, id: string): Promise<Campaign> {
      const cancelled = await change(caller, id, 'cancel', () => ({
        status: 'CANCELLED',
        finishedAt: clock.now(),
        nextBatchAt: undefined,
      }));
      options.cancelled?.();
      return cancelled;
    },

    get: own,

    list: (caller: Caller, query: ListQuery): Promise<CampaignPage> =>
      failClosed(() => store.list(tenantOf(caller), query)),

    /** A campaign's failures; another tenant's campaign has none, like an unknown one. */
    async failures(
      caller: Caller,
      campaignId: string,
      offset: number,
      count: number,
    ): Promise<{ failures: SmsFailure[]; total: number }> {
      if (!(await own(caller, campaignId))) return { failures: [], total: 0 };
      return failClosed(() => store.failures(campaignId, offset, count));
    },
  };
}

export type Campaigns = ReturnType<typeof createCampaigns>;
