import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { SCOPES } from '../../auth/caller.js';
import { PROMOTION_LIMITS } from '../../smn/wire.js';
import type { PromotionSmsCommand, PromotionSmsReport, PublishContext } from '../../send/publish.js';
import { canonicalNumbersOf } from '../endpoint-rules.js';
import type { RequestContext } from '../request-context.js';
import { PublishPromotionSmsInput } from './inputs.js';
import { PromotionSmsLimits } from './limits.js';
import { PublishPromotionSmsPayload } from './payload.js';

/** The use case as the resolver sees it: plain values in, a report out. */
export type PublishPromotionSms = (
  command: PromotionSmsCommand,
  context: PublishContext & { logger: RequestContext['logger'] },
) => Promise<PromotionSmsReport>;

function toPayload(report: PromotionSmsReport): PublishPromotionSmsPayload {
  return Object.assign(new PublishPromotionSmsPayload(), {
    requestId: report.requestId,
    sentCount: report.sentCount,
    failedCount: report.failedCount,
    suppressedCount: report.suppressedCount,
    duplicatesRemoved: report.duplicatesRemoved,
    replayed: report.replayed,
    // The outcomes already have exactly SmsSent's and SmsFailed's fields (a sent one is SUBMITTED):
    // served as they are, no second object per number.
    results: report.results,
  });
}

@Resolver()
export class PromotionSmsResolver {
  constructor(private readonly publish: PublishPromotionSms) {}

  @Authorized(SCOPES.read)
  @Query(() => PromotionSmsLimits, { description: 'The limits publishPromotionSms enforces. Needs scope sms:read.' })
  promotionSmsLimits(): PromotionSmsLimits {
    return new PromotionSmsLimits();
  }

  @Authorized(SCOPES.send)
  @Mutation(() => PublishPromotionSmsPayload, {
    description:
      `Sends one promotional SMS template to up to ${PROMOTION_LIMITS.maxEndpoints} phone numbers (Huawei Cloud SMN PromotionSmsPublish). ` +
      'Nothing is sent when any input rule fails (BAD_USER_INPUT). A call that fails with delivery UNKNOWN ' +
      'may have reached phones: do not repeat it blindly. Needs scope sms:promotion:send; refused with ' +
      "RATE_LIMITED over the caller's recipient quota and OUTSIDE_SEND_WINDOW outside the promotional hours.",
  })
  async publishPromotionSms(
    @Arg('input', () => PublishPromotionSmsInput) input: PublishPromotionSmsInput,
    @Ctx() context: RequestContext,
  ): Promise<PublishPromotionSmsPayload> {
    const report = await this.publish(
      {
        endpoints: input.endpoints,
        numbers: canonicalNumbersOf(input.endpoints),
        smsTemplateId: input.smsTemplateId,
        signId: input.signId ?? undefined,
        extendCode: input.extendCode ?? undefined,
        extendSrcId: input.extendSrcId ?? undefined,
        idempotencyKey: input.idempotencyKey ?? undefined,
      },
      {
        requestId: context.requestId,
        logger: context.logger,
        stats: context.stats,
        ...(context.caller && { caller: context.caller }),
      },
    );
    return toPayload(report);
  }
}
