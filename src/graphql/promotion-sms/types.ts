import { DateTimeResolver } from 'graphql-scalars';
import { createUnionType, Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import type { SentMessage } from '../../sms/send-log.js';
import { PROMOTION_LIMITS } from '../../smn/wire.js';

@Directive('@key(fields: "messageId")')
@ObjectType({
  description:
    'A message SMN accepted for delivery (an Sms_commit_result with a message_id). A federation entity: ' +
    'other subgraphs may hold only its messageId and let the router fetch the rest from this service.',
})
export class SmsSent {
  @Field(() => ID, {
    description: 'SMN message id; delivery-status callbacks and the send-status report refer to it.',
  })
  messageId!: string;

  @Field(() => String, { description: 'The phone number, exactly as it was sent.' })
  endpoint!: string;

  @Field(() => String, { description: "SMN's request_id of the PromotionSmsPublish call that sent it." })
  requestId!: string;

  @Field(() => String, { description: 'The promotional SMS template that was sent.' })
  smsTemplateId!: string;

  @Field(() => String, { nullable: true, description: 'The signature it was sent with, when one was given.' })
  signId?: string | undefined;

  @Field(() => String, { nullable: true, description: 'The extend code it was sent with, when one was given.' })
  extendCode?: string | undefined;

  @Field(() => DateTimeResolver, { description: 'When the batch was submitted to SMN (ISO 8601, UTC).' })
  submittedAt!: Date;

  static from(message: SentMessage): SmsSent {
    return Object.assign(new SmsSent(), {
      messageId: message.messageId,
      endpoint: message.endpoint,
      requestId: message.requestId,
      smsTemplateId: message.smsTemplateId,
      signId: message.signId,
      extendCode: message.extendCode,
      submittedAt: message.submittedAt,
    });
  }
}

@ObjectType({ description: 'A number SMN did not accept (an Sms_commit_result with a code).' })
export class SmsFailed {
  @Field(() => String, { description: 'The phone number, exactly as it was sent.' })
  endpoint!: string;

  @Field(() => String, {
    description:
      'Why it failed: an SMN error code (e.g. SMN.0167, number does not exist), or NO_RESULT when SMN ' +
      'returned no entry for this number.',
  })
  code!: string;

  @Field(() => String, { description: "SMN's explanation of the failure." })
  message!: string;
}

/**
 * Synchronous, by name: TypeGraphQL's own union resolver is async, which costs a promise and a
 * microtask per result (1000 per batch). The subgraph build uses this one.
 */
export function resolveSmsCommitResultType(value: SmsSent | SmsFailed): 'SmsSent' | 'SmsFailed' {
  return value instanceof SmsSent ? 'SmsSent' : 'SmsFailed';
}

export const SmsCommitResult = createUnionType({
  name: 'SmsCommitResult',
  description: 'What happened to one number of the batch: sent, or failed with a reason.',
  types: () => [SmsSent, SmsFailed] as const,
  resolveType: (value) => ('messageId' in value ? SmsSent : SmsFailed),
});

@ObjectType({ description: 'The outcome of one PromotionSmsPublish call.' })
export class PublishPromotionSmsPayload {
  @Field(() => String, { description: "SMN's request_id for this call: quote it to Huawei support." })
  requestId!: string;

  @Field(() => [SmsCommitResult], {
    description: 'One entry per number actually sent (after duplicates were removed), in input order.',
  })
  results!: Array<SmsSent | SmsFailed>;

  @Field(() => Int, { description: 'How many results are SmsSent.' })
  sentCount!: number;

  @Field(() => Int, { description: 'How many results are SmsFailed.' })
  failedCount!: number;

  @Field(() => Int, { description: 'How many exact duplicate numbers were removed before sending.' })
  duplicatesRemoved!: number;

  @Field(() => Boolean, {
    description:
      'True when this is the stored answer of an earlier request with the same idempotencyKey: this ' +
      'request sent nothing.',
  })
  replayed!: boolean;
}

@ObjectType({ description: 'The limits publishPromotionSms enforces, so clients can validate before calling.' })
export class PromotionSmsLimits {
  @Field(() => Int, { description: 'Most phone numbers per call (counted before duplicates are removed).' })
  maxEndpoints: number = PROMOTION_LIMITS.maxEndpoints;

  @Field(() => Int, { description: 'Longest extendCode, in UTF-8 bytes.' })
  extendCodeMaxBytes: number = PROMOTION_LIMITS.extendCodeMaxBytes;

  @Field(() => Int, { description: 'Most digits in extendSrcId.' })
  extendSrcIdMaxDigits: number = PROMOTION_LIMITS.extendSrcIdMaxDigits;
}
