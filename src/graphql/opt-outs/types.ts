import { DateTimeResolver } from 'graphql-scalars';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { OptOutStatus } from '../../suppression/opt-outs.js';

export enum OptOutSource {
  MANUAL = 'MANUAL',
  SMS_REPLY = 'SMS_REPLY',
}

registerEnumType(OptOutSource, {
  name: 'OptOutSource',
  description: 'Where an opt-out came from.',
  valuesConfig: {
    MANUAL: { description: 'Added through addOptOuts.' },
    SMS_REPLY: { description: 'The recipient replied to a message (an unsubscribe keyword such as "TD").' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'What one addOptOuts or removeOptOuts call did.' })
export class OptOutsPayload {
  @Field(() => Int, { description: 'Numbers whose state this call changed.' })
  changed!: number;

  @Field(() => Int, { description: 'Numbers already in that state, repeats within the call included.' })
  unchanged!: number;
}

@ObjectType({
  simpleResolvers: true,
  description: 'Whether one number is opted out of promotional SMS (for your tenant).',
})
export class OptOut {
  @Field(() => String, { description: 'The number exactly as given in the query.' })
  endpoint!: string;

  @Field(() => Boolean, { description: 'True when promotional SMS to this number are held back.' })
  optedOut!: boolean;

  @Field(() => OptOutSource, { nullable: true, description: 'Where the opt-out came from; null when not opted out.' })
  source?: OptOutSource | undefined;

  @Field(() => String, { nullable: true, description: 'The reason given with the opt-out, if any.' })
  reason?: string | undefined;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When the number was opted out.' })
  since?: Date | undefined;

  static from(status: OptOutStatus): OptOut {
    const { record } = status;
    return Object.assign(new OptOut(), {
      endpoint: status.endpoint,
      optedOut: record !== undefined,
      source: record && OptOutSource[record.source],
      reason: record?.reason,
      since: record && new Date(record.since),
    });
  }
}
