import { Field, Int, ObjectType } from 'type-graphql';
import type { SmsSent } from '../sent-sms/sms-sent.js';
import { SmsCommitResult } from './commit-result.js';
import type { SentOutcome, SmsOutcome } from '../../send/publish.js';
import type { SmsFailure } from '../../send/match-results.js';
import type { Expect, Serves } from '../served-as.js';
import type { SmsFailed } from './sms-failed.js';

/**
 * `results` serves the use case's outcomes as they are (no copy per number): a sent outcome is read as
 * an SmsSent, a failure as an SmsFailed. Renaming or retyping a field on either side breaks compilation
 * here instead of answering null.
 */
export type SentOutcomeServesSmsSent = Expect<Serves<SentOutcome, SmsSent>>;
export type SmsFailureServesSmsFailed = Expect<Serves<SmsFailure, SmsFailed>>;

@ObjectType({ simpleResolvers: true, description: 'The outcome of one PromotionSmsPublish call.' })
export class PublishPromotionSmsPayload {
  @Field(() => String, {
    description:
      "SMN's request_id for this call: quote it to Huawei support. When every number was held back (opted " +
      "out or over the daily limit) SMN was not called, and this is the service's own request id (the " +
      'x-request-id of this call).',
  })
  requestId!: string;

  @Field(() => [SmsCommitResult], {
    description: 'One entry per number actually sent (after duplicates were removed), in input order.',
  })
  results!: ReadonlyArray<SmsSent | SmsFailed | SmsOutcome>;

  @Field(() => Int, { description: 'How many results are SmsSent.' })
  sentCount!: number;

  @Field(() => Int, { description: 'How many results are SmsFailed (held-back numbers included).' })
  failedCount!: number;

  @Field(() => Int, {
    description:
      'How many numbers were held back before SMN: SmsFailed OPTED_OUT (the number opted out) or ' +
      'DAILY_LIMIT_REACHED (PER_NUMBER_DAILY_LIMIT). Never sent, never counted in the recipient quota.',
  })
  suppressedCount!: number;

  @Field(() => Int, { description: 'How many exact duplicate numbers were removed before sending.' })
  duplicatesRemoved!: number;

  @Field(() => Boolean, {
    description:
      'True when this is the stored answer of an earlier request with the same idempotencyKey: this ' +
      'request sent nothing.',
  })
  replayed!: boolean;
}
