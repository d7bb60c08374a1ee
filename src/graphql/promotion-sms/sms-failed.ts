import { Field, FieldResolver, ObjectType, registerEnumType, Resolver, Root } from 'type-graphql';
import { ERROR_CODES, ErrorCode, RESULT_CODES, ResultCode, SMN_RESULT_CODES, smnCodeName } from '../../error-codes.js';

/**
 * A campaign batch that failed after its last attempt, with nothing sent, counts each of its numbers
 * failed with the batch's code (campaigns/run-batch.ts `retryable`).
 */
const BATCH_FAILURE_CODES = {
  SMN_RATE_LIMITED: ErrorCode.SMN_RATE_LIMITED,
  SMN_UNAVAILABLE: ErrorCode.SMN_UNAVAILABLE,
  STATE_UNAVAILABLE: ErrorCode.STATE_UNAVAILABLE,
  STATE_FULL: ErrorCode.STATE_FULL,
} as const;

/** `SmsFailed.code`: the service's own codes, SMN's known per-number codes by name, and OTHER. */
export const SmsFailedCode = {
  ...ResultCode,
  ...BATCH_FAILURE_CODES,
  SMN_0057: 'SMN_0057',
  SMN_0167: 'SMN_0167',
  OTHER: 'OTHER',
} as const;
export type SmsFailedCode = (typeof SmsFailedCode)[keyof typeof SmsFailedCode];

registerEnumType(SmsFailedCode, {
  name: 'SmsFailedCode',
  description:
    'Why a number was not sent. SMN codes are named with `_` for `.` (SMN.0167 is SMN_0167); a code SMN adds ' +
    'later is OTHER until named here (an additive change), its raw value always in `smnCode`.',
  valuesConfig: {
    NO_RESULT: { description: RESULT_CODES.NO_RESULT },
    OPTED_OUT: { description: RESULT_CODES.OPTED_OUT },
    DAILY_LIMIT_REACHED: { description: RESULT_CODES.DAILY_LIMIT_REACHED },
    SMN_RATE_LIMITED: {
      description: `Campaigns: its batch failed every attempt. ${ERROR_CODES.SMN_RATE_LIMITED.meaning}`,
    },
    SMN_UNAVAILABLE: {
      description: `Campaigns: its batch failed every attempt. ${ERROR_CODES.SMN_UNAVAILABLE.meaning}`,
    },
    STATE_UNAVAILABLE: {
      description: `Campaigns: its batch failed every attempt. ${ERROR_CODES.STATE_UNAVAILABLE.meaning}`,
    },
    STATE_FULL: { description: `Campaigns: its batch failed every attempt. ${ERROR_CODES.STATE_FULL.meaning}` },
    SMN_0057: { description: `SMN.0057: ${SMN_RESULT_CODES['SMN.0057']}` },
    SMN_0167: { description: `SMN.0167: ${SMN_RESULT_CODES['SMN.0167']}` },
    OTHER: { description: 'Another SMN code: see `smnCode` and `message`.' },
  },
});

const NAMED = new Set<string>(Object.values(SmsFailedCode));

/** One of the service's own codes (never SMN's): no `smnCode`. */
function isOwnCode(raw: string): boolean {
  return Object.hasOwn(RESULT_CODES, raw) || Object.hasOwn(BATCH_FAILURE_CODES, raw);
}

/** The enum value of a raw `code` (the service's own, or SMN's). */
export function smsFailedCodeOf(raw: string): SmsFailedCode {
  // Own properties only: a code SMN sends may be any string (`toString`, `__proto__`).
  if (isOwnCode(raw)) return raw as SmsFailedCode;
  const name = smnCodeName(raw);
  return Object.hasOwn(SMN_RESULT_CODES, raw) && NAMED.has(name) ? (name as SmsFailedCode) : SmsFailedCode.OTHER;
}

@ObjectType({ simpleResolvers: true, description: 'A number SMN did not accept (an Sms_commit_result with a code).' })
export class SmsFailed {
  @Field(() => String, { description: 'The phone number, exactly as it was sent.' })
  endpoint!: string;

  /** The raw code (the service's own, or SMN's); served as `code` and `smnCode` by SmsFailedResolver. */
  code!: string;

  @Field(() => String, { description: "SMN's explanation of the failure." })
  message!: string;
}

/** `code` and `smnCode` from the raw code, computed as they are read (results are the use case's objects). */
@Resolver(() => SmsFailed)
export class SmsFailedResolver {
  @FieldResolver(() => SmsFailedCode, {
    description:
      'Why it failed: SMN refused it (SMN_0167, the number does not exist; OTHER for codes not named yet, see ' +
      'smnCode); NO_RESULT when SMN returned no entry for this number; or held back before SMN: OPTED_OUT (the ' +
      'number opted out) or DAILY_LIMIT_REACHED (it had its PER_NUMBER_DAILY_LIMIT messages today).',
  })
  code(@Root() failure: Pick<SmsFailed, 'code'>): SmsFailedCode {
    return smsFailedCodeOf(failure.code);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: "SMN's own code exactly as SMN gave it (e.g. SMN.0167); null for the service's own codes.",
  })
  smnCode(@Root() failure: Pick<SmsFailed, 'code'>): string | null {
    return isOwnCode(failure.code) ? null : failure.code;
  }
}
