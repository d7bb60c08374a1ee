import { DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { SmsSignRecord, SmsTemplateRecord } from '../../smn/catalog-wire.js';
import { PageInfo } from '../page-info.js';

/**
 * SMN's template `status` and `sms_template_type` are small numbers whose meanings SMN does not document,
 * so the enums name the values seen (CODE_0 is "0") instead of guessing meanings; anything else is OTHER,
 * the raw value always in smnStatus / smnType. Naming more is an additive change.
 */
export enum SmsTemplateStatus {
  CODE_0 = 'CODE_0',
  CODE_1 = 'CODE_1',
  CODE_2 = 'CODE_2',
  CODE_3 = 'CODE_3',
  OTHER = 'OTHER',
}

export enum SmsTemplateType {
  CODE_0 = 'CODE_0',
  CODE_1 = 'CODE_1',
  CODE_2 = 'CODE_2',
  CODE_3 = 'CODE_3',
  OTHER = 'OTHER',
}

const rawValues = (what: string) => ({
  CODE_0: { description: `SMN's ${what} "0".` },
  CODE_1: { description: `SMN's ${what} "1".` },
  CODE_2: { description: `SMN's ${what} "2".` },
  CODE_3: { description: `SMN's ${what} "3".` },
  OTHER: { description: `Any other ${what}: see the raw value.` },
});

registerEnumType(SmsTemplateStatus, {
  name: 'SmsTemplateStatus',
  description:
    "SMN's review status of a template, by its raw value (SMN does not document their meanings); unknown values are OTHER.",
  valuesConfig: rawValues('status'),
});

registerEnumType(SmsTemplateType, {
  name: 'SmsTemplateType',
  description:
    "SMN's sms_template_type, by its raw value (SMN does not document their meanings); unknown values are OTHER.",
  valuesConfig: rawValues('sms_template_type'),
});

function byRawValue<E extends string>(raw: string | undefined, values: Record<string, E>): E | undefined {
  if (raw === undefined) return undefined;
  const key = `CODE_${raw}`;
  return Object.hasOwn(values, key) ? values[key] : values.OTHER;
}

@ObjectType({ simpleResolvers: true, description: 'An SMS template of the configured SMN project, as SMN lists it.' })
export class SmsTemplate {
  @Field(() => String, { description: 'Its id: what smsTemplateId takes.' })
  id!: string;

  @Field(() => String, { description: 'Its name.' })
  name!: string;

  @Field(() => SmsTemplateType, { nullable: true, description: "SMN's sms_template_type; null when SMN gave none." })
  type?: SmsTemplateType | undefined;

  @Field(() => String, { nullable: true, description: "SMN's sms_template_type exactly as given." })
  smnType?: string | undefined;

  @Field(() => SmsTemplateStatus, { nullable: true, description: "SMN's review status; null when SMN gave none." })
  status?: SmsTemplateStatus | undefined;

  @Field(() => String, { nullable: true, description: "SMN's review status exactly as given." })
  smnStatus?: string | undefined;

  @Field(() => String, { nullable: true, description: "The reviewer's comment, when any." })
  reply?: string | undefined;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When it was created.' })
  createdAt?: Date | undefined;

  @Field(() => DateTimeResolver, { nullable: true, description: 'Until when it may be used.' })
  validUntil?: Date | undefined;

  static from(record: SmsTemplateRecord): SmsTemplate {
    return Object.assign(new SmsTemplate(), record, {
      type: byRawValue(record.type, SmsTemplateType),
      smnType: record.type,
      status: byRawValue(record.status, SmsTemplateStatus),
      smnStatus: record.status,
    });
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

@ObjectType({ simpleResolvers: true, description: 'One SMS template, with its cursor.' })
export class SmsTemplateEdge {
  @Field(() => String, { description: 'Pass as `after` to read on from this template.' })
  cursor!: string;

  @Field(() => SmsTemplate, { description: 'The template.' })
  node!: SmsTemplate;
}

@ObjectType({ simpleResolvers: true, description: 'One page of SMS templates (a Relay connection).' })
export class SmsTemplatePage {
  @Field(() => [SmsTemplateEdge], { description: 'The templates of this page, with their cursors.' })
  edges!: SmsTemplateEdge[];

  @Field(() => [SmsTemplate], { description: 'The templates of this page.' })
  nodes!: SmsTemplate[];

  @Field(() => PageInfo, { description: 'Where this page starts and ends.' })
  pageInfo!: PageInfo;
}
