import { Field, Int, ObjectType } from 'type-graphql';
import { PROMOTION_LIMITS } from '../../smn/wire.js';

@ObjectType({
  simpleResolvers: true,
  description: 'The limits publishPromotionSms enforces, so clients can validate before calling.',
})
export class PromotionSmsLimits {
  @Field(() => Int, { description: 'Most phone numbers per call (counted before duplicates are removed).' })
  maxEndpoints: number = PROMOTION_LIMITS.maxEndpoints;

  @Field(() => Int, { description: 'Longest extendCode, in UTF-8 bytes.' })
  extendCodeMaxBytes: number = PROMOTION_LIMITS.extendCodeMaxBytes;

  @Field(() => Int, { description: 'Most digits in extendSrcId.' })
  extendSrcIdMaxDigits: number = PROMOTION_LIMITS.extendSrcIdMaxDigits;
}
