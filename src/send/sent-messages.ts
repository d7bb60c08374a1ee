import { sameTenant, type Caller } from '../auth/caller.js';
import type { SendLog, SentMessage, SentRequest } from './send-log.js';

/** Longer than any request id SMN (or this service) gives: answered as unknown without a lookup. */
const MAX_REQUEST_ID_LENGTH = 256;

/** One publishPromotionSms call as its tenant may read it: the request and its messages, in send order. */
export interface OwnRequest {
  readonly request: SentRequest;
  readonly messages: readonly SentMessage[];
}

/**
 * The read use case over the send log: messages and requests as `caller` may see them. One sent under
 * another tenant is answered exactly like an unknown one (undefined), so an id that travelled through
 * logs confirms nothing. The API edge gets only this, never the send log itself.
 */
export interface SentMessages {
  /** A message by its SMN message id. */
  message(caller: Caller, messageId: string): Promise<SentMessage | undefined>;
  /** A request by its SMN request id, with its messages still in the send log. */
  request(caller: Caller, requestId: string): Promise<OwnRequest | undefined>;
  /** Whether the request is the caller's (and still known): what a subscription to it needs. */
  ownsRequest(caller: Caller, requestId: string): Promise<boolean>;
}

export function createSentMessages(sendLog: Pick<SendLog, 'find' | 'findMany' | 'findRequest'>): SentMessages {
  const ownRequest = async (caller: Caller, requestId: string): Promise<SentRequest | undefined> => {
    if (requestId.length > MAX_REQUEST_ID_LENGTH) return undefined;
    const request = await sendLog.findRequest(requestId);
    return request && sameTenant(request.sentBy, caller) ? request : undefined;
  };
  return {
    async message(caller, messageId) {
      const message = await sendLog.find(messageId);
      return message && sameTenant(message.sentBy, caller) ? message : undefined;
    },
    async request(caller, requestId) {
      const request = await ownRequest(caller, requestId);
      if (!request) return undefined;
      const messages = (await sendLog.findMany(request.messageIds)).filter(
        (message): message is SentMessage => message !== undefined,
      );
      return { request, messages };
    },
    ownsRequest: async (caller, requestId) => (await ownRequest(caller, requestId)) !== undefined,
  };
}
