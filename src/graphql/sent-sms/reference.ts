import { GraphQLError } from 'graphql';
import { ANONYMOUS_CALLER, SCOPES } from '../../auth/caller.js';
import type { SentMessages } from '../../send/sent-messages.js';
import { requireScopes } from '../auth-checker.js';
import type { RequestContext } from '../request-context.js';
import { SmsSent } from './sms-sent.js';
import { ErrorCode } from '../../error-codes.js';

const MAX_MESSAGE_ID_LENGTH = 256;

/**
 * The `__resolveReference` the router's `_entities` calls reach: an SmsSent from its key. An unknown
 * id is null (the message aged out, was never ours, or belongs to another tenant); a representation without a usable key is the
 * caller's mistake and says so.
 */
export function smsSentReferenceResolvers(sentMessages: Pick<SentMessages, 'message'>) {
  return {
    SmsSent: {
      async __resolveReference(reference: Record<string, unknown>, context: RequestContext): Promise<SmsSent | null> {
        // Not a TypeGraphQL resolver, so @Authorized cannot guard it: the same check, called directly.
        requireScopes(context.caller, [SCOPES.read]);
        const { messageId } = reference;
        if (typeof messageId !== 'string' || messageId === '' || messageId.length > MAX_MESSAGE_ID_LENGTH) {
          throw new GraphQLError(
            `An SmsSent representation needs messageId, a string of 1 to ${MAX_MESSAGE_ID_LENGTH} characters.`,
            { extensions: { code: ErrorCode.BAD_USER_INPUT } },
          );
        }
        const message = await sentMessages.message(context.caller ?? ANONYMOUS_CALLER, messageId);
        return message ? SmsSent.from(message) : null;
      },
    },
  };
}
