import { Field, ObjectType } from 'type-graphql';

@ObjectType({ simpleResolvers: true, description: 'A number SMN did not accept (an Sms_commit_result with a code).' })
export class SmsFailed {
  @Field(() => String, { description: 'The phone number, exactly as it was sent.' })
  endpoint!: string;

  @Field(() => String, {
    description:
      'Why it failed: an SMN error code (e.g. SMN.0167, number does not exist); NO_RESULT when SMN ' +
      'returned no entry for this number; or held back before SMN: OPTED_OUT (the number opted out) or ' +
      'DAILY_LIMIT_REACHED (it had its PER_NUMBER_DAILY_LIMIT messages today).',
  })
  code!: string;

  @Field(() => String, { description: "SMN's explanation of the failure." })
  message!: string;
}
