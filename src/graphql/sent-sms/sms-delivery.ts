import { DateTimeResolver } from 'graphql-scalars';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { SUBMITTED, type DeliveryState } from '../../send/send-log.js';

export enum DeliveryStatus {
  SUBMITTED = 'SUBMITTED',
  DELIVERED = 'DELIVERED',
  FAILED = 'FAILED',
  EXPIRED = 'EXPIRED',
  REJECTED = 'REJECTED',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(DeliveryStatus, {
  name: 'DeliveryStatus',
  description: 'Where a message stands after SMN accepted it.',
  valuesConfig: {
    SUBMITTED: { description: 'Accepted by SMN; no delivery report yet.' },
    DELIVERED: { description: 'The carrier reports it delivered (DELIVRD, ACCEPTD).' },
    FAILED: { description: 'The carrier could not deliver it (UNDELIV, DELETED, other failures).' },
    EXPIRED: { description: 'The carrier gave up: the phone stayed unreachable (EXPIRED).' },
    REJECTED: { description: 'The carrier refused it (REJECTD).' },
    UNKNOWN: { description: 'The carrier does not know (UNKNOWN).' },
  },
});

@ObjectType({ simpleResolvers: true, description: "What SMN's delivery report said about a message." })
export class SmsDelivery {
  @Field(() => DeliveryStatus, { description: 'SUBMITTED until a report arrives; the first final status wins.' })
  status!: DeliveryStatus;

  @Field(() => String, {
    nullable: true,
    description: "The carrier's raw status_desc, e.g. DELIVRD, UNDELIV, NOROUTE.",
  })
  carrierCode?: string | undefined;

  @Field(() => DateTimeResolver, { nullable: true, description: 'When this service learned it.' })
  reportedAt?: Date | undefined;

  @Field(() => DateTimeResolver, { nullable: true, description: 'deliver_time from the report.' })
  deliveredAt?: Date | undefined;

  /** A message without a report is SUBMITTED. */
  static from(state: DeliveryState = SUBMITTED): SmsDelivery {
    return Object.assign(new SmsDelivery(), {
      status: DeliveryStatus[state.status],
      carrierCode: state.carrierCode,
      reportedAt: state.reportedAt,
      deliveredAt: state.deliveredAt,
    });
  }
}
