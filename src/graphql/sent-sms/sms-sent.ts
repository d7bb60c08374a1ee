import { DateTimeResolver } from 'graphql-scalars';
import { Directive, Field, ID, ObjectType } from 'type-graphql';
import type { SentMessage } from '../../send/send-log.js';
import { SmsDelivery } from './sms-delivery.js';
import { Node } from '../node/node.js';

@Directive('@key(fields: "messageId")')
@ObjectType({
  implements: Node,
  simpleResolvers: true,
  description:
    'A message SMN accepted for delivery (an Sms_commit_result with a message_id). A federation entity: ' +
    'other subgraphs may hold only its messageId and let the router fetch the rest from this service.',
})
// Node's `id` is SentSmsResolver's field resolver: results are the use case's objects, not these.
export class SmsSent {
  @Field(() => ID, {
    description:
      'SMN message id; delivery-status callbacks and the send-status report refer to it. The federation key.',
  })
  messageId!: string;

  @Field(() => String, { description: 'The phone number, exactly as it was sent.' })
  endpoint!: string;

  @Field(() => String, { description: "SMN's request_id of the PromotionSmsPublish call that sent it." })
  requestId!: string;

  @Field(() => String, { description: 'The promotional SMS template that was sent.' })
  smsTemplateId!: string;

  @Field(() => String, { nullable: true, description: 'The signature it was sent with, when one was given.' })
  signId?: string | undefined;

  @Field(() => String, { nullable: true, description: 'The extend code it was sent with, when one was given.' })
  extendCode?: string | undefined;

  @Field(() => DateTimeResolver, { description: 'When the batch was submitted to SMN (ISO 8601, UTC).' })
  submittedAt!: Date;

  @Field(() => SmsDelivery, {
    description:
      'Whether it reached the phone, from SMN delivery reports (callbacks or polling; they may take up to 72 ' +
      'hours). SUBMITTED until a report arrives.',
  })
  delivery!: SmsDelivery;

  @Field(() => ID, { nullable: true, description: 'The campaign that sent it; null for a direct publishPromotionSms.' })
  campaignId?: string | undefined;

  static from(message: SentMessage): SmsSent {
    const sent = new SmsSent();
    sent.messageId = message.messageId;
    sent.endpoint = message.endpoint;
    sent.requestId = message.requestId;
    sent.smsTemplateId = message.smsTemplateId;
    sent.signId = message.signId;
    sent.extendCode = message.extendCode;
    sent.submittedAt = message.submittedAt;
    sent.delivery = SmsDelivery.from(message.delivery);
    sent.campaignId = message.campaignId;
    return sent;
  }
}
