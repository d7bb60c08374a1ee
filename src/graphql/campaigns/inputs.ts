import { ArrayMaxSize, ArrayMinSize, IsInt, IsOptional, Length, Max, Min } from 'class-validator';
import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';
import { isExtendCode, isExtendSrcId, isSmnId, PROMOTION_LIMITS } from '../../smn/wire.js';
import { StringRule } from '../validation.js';
import { isIdempotencyKey } from '../promotion-sms/inputs.js';

const { extendCodeMaxBytes, extendSrcIdMaxDigits, idMaxLength } = PROMOTION_LIMITS;
const ID_MESSAGE = `must be 1 to ${idMaxLength} characters: letters, digits, "-" or "_"`;
export const MAX_RECIPIENTS_PER_CALL = 10_000;

@InputType({ description: 'A new campaign: what it sends, and how. Recipients are added afterwards.' })
export class CreatePromotionCampaignInput {
  @Field(() => String, { description: '1 to 200 characters, for people.' })
  @Length(1, 200, { message: 'must be 1 to 200 characters' })
  name!: string;

  @Field(() => String, { description: 'The promotional SMS template every batch sends.' })
  @StringRule('isSmnId', isSmnId, ID_MESSAGE)
  smsTemplateId!: string;

  @Field(() => String, { nullable: true, description: 'The SMS signature id; same rules as on a send.' })
  @IsOptional()
  @StringRule('isSmnId', isSmnId, ID_MESSAGE)
  signId?: string;

  @Field(() => String, { nullable: true, description: 'Echoed back in delivery reports; same rules as on a send.' })
  @IsOptional()
  @StringRule('isExtendCode', isExtendCode, `must be 1 to ${extendCodeMaxBytes} bytes in UTF-8`)
  extendCode?: string;

  @Field(() => String, { nullable: true, description: 'Sender number extension; same rules as on a send.' })
  @IsOptional()
  @StringRule('isExtendSrcId', isExtendSrcId, `must be 1 to ${extendSrcIdMaxDigits} ASCII digits`)
  extendSrcId?: string;

  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'When sending is to begin; in the future, startPromotionCampaign makes it SCHEDULED.',
  })
  @IsOptional()
  startAt?: Date;

  @Field(() => Int, {
    nullable: true,
    description: 'Pacing across all replicas, 1 to 100000 messages per second; default CAMPAIGN_MESSAGES_PER_SECOND.',
  })
  @IsOptional()
  @IsInt({ message: 'must be an integer' })
  @Min(1, { message: 'must be 1 to 100000' })
  @Max(100_000, { message: 'must be 1 to 100000' })
  messagesPerSecond?: number;

  @Field(() => String, {
    nullable: true,
    description: 'Makes retrying safe: the same key and input return the campaign the first call created.',
  })
  @IsOptional()
  @StringRule('isIdempotencyKey', isIdempotencyKey, 'must be 1 to 255 printable ASCII characters')
  idempotencyKey?: string;
}

@InputType({ description: 'Numbers to add to a DRAFT campaign.' })
export class AddPromotionCampaignRecipientsInput {
  @Field(() => ID, { description: 'The DRAFT campaign to add to.' })
  campaignId!: string;

  @Field(() => [String], {
    description:
      `1 to ${MAX_RECIPIENTS_PER_CALL} phone numbers, valid as for a send. Duplicates (same canonical number, ` +
      'in this call or already in the campaign) are removed: one person, one message.',
  })
  @ArrayMinSize(1, { message: 'must contain at least 1 phone number' })
  @ArrayMaxSize(MAX_RECIPIENTS_PER_CALL, { message: `must contain at most ${MAX_RECIPIENTS_PER_CALL} phone numbers` })
  endpoints!: string[];

  @Field(() => Boolean, {
    defaultValue: false,
    nullable: true,
    description:
      'false: any invalid number refuses the whole call (BAD_USER_INPUT). true: invalid ones are skipped and counted.',
  })
  skipInvalid?: boolean | null;
}
