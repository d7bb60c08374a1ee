import { GraphQLError } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { ANONYMOUS_CALLER, SCOPES } from '../../auth/caller.js';
import { ErrorCode } from '../../error-codes.js';
import { HistoryDisabled, HistoryRefusal, MAX_HISTORY_PAGE, type History } from '../../history/history.js';
import { ENDPOINT_RULE, isPhoneNumber } from '../endpoint-rules.js';
import { pageSize } from '../page-info.js';
import type { RequestContext } from '../request-context.js';
import { badUserInput } from '../validation.js';
import { SmsHistoryFilter, SmsStatsFilter } from './inputs.js';
import {
  EraseEndpointHistoryPayload,
  OptOutChange,
  SmsHistoryPage,
  SmsStatsBucket,
  SmsStatsGrouping,
} from './types.js';

/** What the API answers for the use case's refusals: HISTORY_DISABLED, or BAD_USER_INPUT naming the field. */
function asApiError(error: unknown, outcome: string): unknown {
  if (error instanceof HistoryDisabled) {
    return new GraphQLError(error.message, { originalError: error, extensions: { code: ErrorCode.HISTORY_DISABLED } });
  }
  if (error instanceof HistoryRefusal) return badUserInput([{ field: error.field, message: error.message }], outcome);
  return error;
}

/** The same rules for a number as a send and the opt-outs (endpoint-rules.ts). */
function checkNumber(field: string, endpoint: string, outcome: string): void {
  if (!isPhoneNumber(endpoint)) throw badUserInput([{ field, message: ENDPOINT_RULE }], outcome);
}

const null2undefined = <T>(value: T | null | undefined): T | undefined => value ?? undefined;

/** The send history in PostgreSQL (issue 27): read back, counted, erased; always your tenant's only. */
@Resolver()
export class HistoryResolver {
  constructor(private readonly history: History) {}

  /** Runs `use` when the history is on (HISTORY_DISABLED before any input rule otherwise). */
  private async answer<T>(outcome: string, use: () => Promise<T>): Promise<T> {
    try {
      if (!this.history.enabled) throw new HistoryDisabled();
      return await use();
    } catch (error) {
      throw asApiError(error, outcome);
    }
  }

  @Authorized(SCOPES.historyRead)
  @Query(() => SmsHistoryPage, {
    description:
      'Messages sent, newest first. Needs at least one of endpoint, requestId, campaignId, or from and to at most ' +
      `31 days apart; \`first\` 1 to ${MAX_HISTORY_PAGE}. Scope sms:history:read.`,
  })
  // Arguments are declared last first: TypeGraphQL prints them in reverse, and the SDL reads
  // smsHistory(filter, first, after) as issue 27 specifies it.
  async smsHistory(
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Arg('first', () => Int, { defaultValue: 100, nullable: true }) first: number | null,
    @Arg('filter', () => SmsHistoryFilter) filter: SmsHistoryFilter,
    @Ctx() context: RequestContext,
  ): Promise<SmsHistoryPage> {
    const outcome = 'nothing was read';
    return this.answer(outcome, async () => {
      if (filter.endpoint != null) checkNumber('filter.endpoint', filter.endpoint, outcome);
      const page = await this.history.messages(context.caller ?? ANONYMOUS_CALLER, {
        endpoint: null2undefined(filter.endpoint),
        requestId: null2undefined(filter.requestId),
        campaignId: null2undefined(filter.campaignId),
        smsTemplateId: null2undefined(filter.smsTemplateId),
        statuses: null2undefined(filter.status),
        from: null2undefined(filter.from),
        to: null2undefined(filter.to),
        first: pageSize(first ?? 100, MAX_HISTORY_PAGE),
        after: null2undefined(after),
      });
      return SmsHistoryPage.from(page, after);
    });
  }

  @Authorized(SCOPES.historyRead)
  @Query(() => [SmsStatsBucket], {
    description:
      'Counts per bucket for a time range (from before to, at most 366 days; 31 with HOUR), buckets with ' +
      'messages only, ordered by key. Scope sms:history:read.',
  })
  async smsStats(
    @Arg('filter', () => SmsStatsFilter, { nullable: true }) filter: SmsStatsFilter | null | undefined,
    @Arg('groupBy', () => SmsStatsGrouping, { defaultValue: SmsStatsGrouping.DAY }) groupBy: SmsStatsGrouping,
    @Arg('to', () => DateTimeResolver) to: Date,
    @Arg('from', () => DateTimeResolver) from: Date,
    @Ctx() context: RequestContext,
  ): Promise<SmsStatsBucket[]> {
    return this.answer('nothing was read', async () => {
      const rows = await this.history.stats(context.caller ?? ANONYMOUS_CALLER, {
        from,
        to,
        groupBy,
        campaignId: null2undefined(filter?.campaignId),
        smsTemplateId: null2undefined(filter?.smsTemplateId),
      });
      return rows.map((row) => SmsStatsBucket.from(row));
    });
  }

  @Authorized(SCOPES.read)
  @Query(() => [OptOutChange], {
    description:
      'Every opt-out change of one number (any spelling a send takes), oldest first; empty when none. Scope sms:read.',
  })
  async optOutHistory(
    @Arg('endpoint', () => String) endpoint: string,
    @Ctx() context: RequestContext,
  ): Promise<OptOutChange[]> {
    const outcome = 'nothing was read';
    return this.answer(outcome, async () => {
      checkNumber('endpoint', endpoint, outcome);
      const changes = await this.history.optOutChanges(context.caller ?? ANONYMOUS_CALLER, endpoint);
      return changes.map((change) => OptOutChange.from(change));
    });
  }

  @Authorized(SCOPES.erase)
  @Mutation(() => EraseEndpointHistoryPayload, {
    description:
      "Erase a number from your tenant's history (right to erasure): in every message it is replaced by its " +
      'keyed hash, also in the send log. The opt-out, if any, is kept. Scope sms:erase.',
  })
  async eraseEndpointHistory(
    @Arg('endpoint', () => String) endpoint: string,
    @Ctx() context: RequestContext,
  ): Promise<EraseEndpointHistoryPayload> {
    const outcome = 'nothing was erased';
    return this.answer(outcome, async () => {
      checkNumber('endpoint', endpoint, outcome);
      const erased = await this.history.erase(context.caller ?? ANONYMOUS_CALLER, endpoint, context.logger);
      return Object.assign(new EraseEndpointHistoryPayload(), erased);
    });
  }
}
