import { IsOptional } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { PhoneNumbers } from '../endpoint-rules.js';
import { StringRule } from '../validation.js';

/** Most numbers one opt-out call takes. */
export const MAX_OPT_OUT_ENDPOINTS = 10_000;
const MAX_REASON_LENGTH = 200;

/** 1..200 characters, no control characters (they have no place in a log line or a record). */
function isReason(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return value.length >= 1 && value.length <= MAX_REASON_LENGTH && !/[\u0000-\u001f\u007f]/.test(value);
}

@InputType({ description: 'Phone numbers to opt out, or back in.' })
export class OptOutsInput {
  @Field(() => [String], {
    description:
      `Phone numbers, 1 to ${MAX_OPT_OUT_ENDPOINTS}, each valid by the same rules as a send. Compared in ` +
      'canonical form (E.164, as libphonenumber-js reads it): "13912345678", "8613912345678", "+8613912345678" ' +
      'and "+86013912345678" are one number.',
  })
  @PhoneNumbers(MAX_OPT_OUT_ENDPOINTS)
  endpoints!: string[];

  @Field(() => String, {
    nullable: true,
    description: `Why, 1 to ${MAX_REASON_LENGTH} characters; kept with the opt-out. Ignored by removeOptOuts.`,
  })
  @IsOptional()
  @StringRule('isReason', isReason, `must be 1 to ${MAX_REASON_LENGTH} characters, without control characters`)
  reason?: string | undefined;
}
