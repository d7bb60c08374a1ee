import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { ANONYMOUS_CALLER, SCOPES } from '../../auth/caller.js';
import type { OptOuts } from '../../suppression/opt-outs.js';
import { assertPhoneNumbers } from '../endpoint-rules.js';
import type { RequestContext } from '../request-context.js';
import { MAX_OPT_OUT_ENDPOINTS, OptOutsInput } from './inputs.js';
import { OptOut, OptOutsPayload } from './types.js';

const toPayload = (change: { changed: number; unchanged: number }) => Object.assign(new OptOutsPayload(), change);

/** The opt-out list: numbers that must never again receive promotional SMS, per tenant. */
@Resolver()
export class OptOutsResolver {
  constructor(private readonly list: OptOuts) {}

  @Authorized(SCOPES.optOutWrite)
  @Mutation(() => OptOutsPayload, {
    description:
      'Numbers that must never again receive promotional SMS: later sends hold them back as SmsFailed ' +
      'OPTED_OUT. Nothing changes when any number is invalid (BAD_USER_INPUT). Scope sms:optout:write.',
  })
  async addOptOuts(
    @Arg('input', () => OptOutsInput) input: OptOutsInput,
    @Ctx() context: RequestContext,
  ): Promise<OptOutsPayload> {
    const caller = context.caller ?? ANONYMOUS_CALLER;
    return toPayload(await this.list.add(caller, input.endpoints, input.reason ?? undefined, context.logger));
  }

  @Authorized(SCOPES.optOutWrite)
  @Mutation(() => OptOutsPayload, {
    description: 'Numbers that opted back in. Nothing changes when any number is invalid. Scope sms:optout:write.',
  })
  async removeOptOuts(
    @Arg('input', () => OptOutsInput) input: OptOutsInput,
    @Ctx() context: RequestContext,
  ): Promise<OptOutsPayload> {
    return toPayload(await this.list.remove(context.caller ?? ANONYMOUS_CALLER, input.endpoints, context.logger));
  }

  @Authorized(SCOPES.read)
  @Query(() => [OptOut], {
    description: `One entry per given number (1 to ${MAX_OPT_OUT_ENDPOINTS}), in the given order. Scope sms:read.`,
  })
  async optOuts(
    @Arg('endpoints', () => [String]) endpoints: string[],
    @Ctx() context: RequestContext,
  ): Promise<OptOut[]> {
    assertPhoneNumbers('endpoints', endpoints, MAX_OPT_OUT_ENDPOINTS, 'nothing was read');
    const statuses = await this.list.list(context.caller ?? ANONYMOUS_CALLER, endpoints);
    return statuses.map((status) => OptOut.from(status));
  }
}
