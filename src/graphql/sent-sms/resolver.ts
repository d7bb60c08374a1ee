import { Arg, Authorized, Ctx, ID, Query, Resolver } from 'type-graphql';
import { ANONYMOUS_CALLER, SCOPES } from '../../auth/caller.js';
import { findOwnMessage, type SendLog } from '../../sms/send-log.js';
import type { RequestContext } from '../request-context.js';
import { SmsSent } from './sms-sent.js';

/** Reads back messages this service sent, from the send log. */
@Resolver(() => SmsSent)
export class SentSmsResolver {
  constructor(private readonly sendLog: Pick<SendLog, 'find'>) {}

  @Authorized(SCOPES.read)
  @Query(() => SmsSent, {
    nullable: true,
    description:
      'A message this service sent for your tenant, by SMN message id; null when it is unknown, has aged out ' +
      'of the send log, or was sent under another tenant. Needs scope sms:read.',
  })
  async sentSms(
    @Arg('messageId', () => ID) messageId: string,
    @Ctx() context: RequestContext,
  ): Promise<SmsSent | null> {
    const message = await findOwnMessage(this.sendLog, context.caller ?? ANONYMOUS_CALLER, messageId);
    return message ? SmsSent.from(message) : null;
  }
}
