import { Arg, Authorized, ID, Query, Resolver } from 'type-graphql';
import { SCOPES } from '../../auth/caller.js';
import type { SendLog } from '../../sms/send-log.js';
import { SmsSent } from '../promotion-sms/types.js';

/** Reads back messages this service sent, from the send log. */
@Resolver(() => SmsSent)
export class SentSmsResolver {
  constructor(private readonly sendLog: Pick<SendLog, 'find'>) {}

  @Authorized(SCOPES.read)
  @Query(() => SmsSent, {
    nullable: true,
    description:
      'A message this service sent, by SMN message id; null when it is unknown or has aged out of the send ' +
      'log. Needs scope sms:read.',
  })
  async sentSms(@Arg('messageId', () => ID) messageId: string): Promise<SmsSent | null> {
    const message = await this.sendLog.find(messageId);
    return message ? SmsSent.from(message) : null;
  }
}
