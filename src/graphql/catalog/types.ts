import { DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import type { SmsSignRecord, SmsTemplateRecord } from '../../smn/catalog-wire.js';
import { PageInfo } from '../page-info.js';

@ObjectType({ simpleResolvers: true, description: 'An SMS template of the configured SMN project, as SMN lists it.' })
export class SmsTemplate {
  @Field(() => String, { description: 'Its id: what smsTemplateId takes.' })
  id!: string;

  @Field(() => String, { description: 'Its name.' })
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: "SMN's sms_template_type, as given (its values are not documented).",
  })
  type?: string | undefined;

  @Field(() => String, { nullable: true, description: "SMN's review status, as given." })
  status?: string | undefined;

  @Field(() => String, { nullable: true, description: "The reviewer's comment, when any." })
  reply?: string | undefined;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it was created.' })
  createdAt?: Date | undefined;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Until when it may be used.' })
  validUntil?: Date | undefined;

  static from(record: SmsTemplateRecord): SmsTemplate {
    return Object.assign(new SmsTemplate(), record);
  }
}

@ObjectType({ simpleResolvers: true, description: 'An SMS signature of the configured SMN project, as SMN lists it.' })
export class SmsSign {
  @Field(() => String, { description: 'Its id: what signId takes.' })
  id!: string;

  @Field(() => String, { description: 'Its name (the text shown in the message).' })
  name!: string;

  @Field(() => String, { nullable: true, description: "SMN's sign_type, as given (its values are not documented)." })
  type?: string | undefined;

  @Field(() => String, { nullable: true, description: "SMN's review status, as given." })
  status?: string | undefined;

  @Field(() => String, { nullable: true, description: "The reviewer's comment, when any." })
  reply?: string | undefined;

  @Field(() => Boolean, { nullable: true, description: 'Whether it is for messages outside mainland China.' })
  overseas?: boolean | undefined;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it was created.' })
  createdAt?: Date | undefined;

  static from(record: SmsSignRecord): SmsSign {
    return Object.assign(new SmsSign(), record);
  }
}

@ObjectType({ simpleResolvers: true, description: 'One page of SMS templates.' })
export class SmsTemplatePage {
  @Field(() => [SmsTemplate], { description: 'The templates of this page.' })
  nodes!: SmsTemplate[];

  @Field(() => PageInfo, { description: 'Where this page ends.' })
  pageInfo!: PageInfo;
}
