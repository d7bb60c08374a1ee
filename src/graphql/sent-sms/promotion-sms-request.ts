import { DateTimeResolver } from 'graphql-scalars';
import { Field, Int, ObjectType } from 'type-graphql';
import type { SentMessage, SentRequest } from '../../send/send-log.js';
import { SmsSent } from './sms-sent.js';
import { Node } from '../node/node.js';
import { globalId } from '../node/global-id.js';

@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description: 'Everything known about one publishPromotionSms call, from the send log.',
})
export class PromotionSmsRequest implements Node {
  id!: string;

  @Field(() => String, { description: "SMN's request_id of the call." })
  requestId!: string;

  @Field(() => DateTimeResolver, { description: 'When the batch was submitted to SMN.' })
  submittedAt!: Date;

  @Field(() => [SmsSent], { description: 'Its accepted messages, in the order they were sent.' })
  messages!: SmsSent[];

  @Field(() => Int, { description: 'Messages still SUBMITTED (no report yet).' })
  pending!: number;

  @Field(() => Int, { description: 'Messages DELIVERED.' })
  delivered!: number;

  @Field(() => Int, { description: 'Messages FAILED, EXPIRED or REJECTED.' })
  undelivered!: number;

  @Field(() => Int, { description: 'Messages whose carrier reported UNKNOWN.' })
  unknown!: number;

  static from(request: SentRequest, messages: readonly SentMessage[]): PromotionSmsRequest {
    const count = (...statuses: string[]) =>
      messages.filter((message) => statuses.includes(message.delivery?.status ?? 'SUBMITTED')).length;
    return Object.assign(new PromotionSmsRequest(), {
      id: globalId('PromotionSmsRequest', request.requestId),
      requestId: request.requestId,
      submittedAt: request.submittedAt,
      messages: messages.map((message) => SmsSent.from(message)),
      pending: count('SUBMITTED'),
      delivered: count('DELIVERED'),
      undelivered: count('FAILED', 'EXPIRED', 'REJECTED'),
      unknown: count('UNKNOWN'),
    });
  }
}
