import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, InputType } from 'type-graphql';
import { DeliveryStatus } from '../sent-sms/sms-delivery.js';

// No class-validator rules here: with the history off every field answers HISTORY_DISABLED first, so
// the rules run in the resolver (numbers) and the use case (everything else), after that check.

@InputType({
  description:
    'Which messages smsHistory reads. Needs at least one of endpoint, requestId, campaignId, or a range (from ' +
    'and to) of at most 31 days; every field given narrows the answer.',
})
export class SmsHistoryFilter {
  @Field(() => String, {
    nullable: true,
    description:
      'Messages to this number, in any spelling a send takes ("13912345678", "+8613912345678" are one number).',
  })
  endpoint?: string | null;

  @Field(() => String, { nullable: true, description: "SMN's request_id of one publishPromotionSms call." })
  requestId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Messages of one campaign.' })
  campaignId?: string | null;

  @Field(() => String, { nullable: true, description: 'Messages of one template.' })
  smsTemplateId?: string | null;

  @Field(() => [DeliveryStatus], { nullable: true, description: 'Messages whose delivery is any of these.' })
  status?: DeliveryStatus[] | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Submitted at or after this instant.' })
  from?: Date | null;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Submitted before this instant (after from).' })
  to?: Date | null;
}

@InputType({ description: 'What smsStats counts: every message of the range when empty.' })
export class SmsStatsFilter {
  @Field(() => ID, { nullable: true, description: 'Only this campaign.' })
  campaignId?: string | null;

  @Field(() => String, { nullable: true, description: 'Only this template.' })
  smsTemplateId?: string | null;
}
