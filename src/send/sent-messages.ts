import { sameTenant, tenantOf, type Caller } from '../auth/caller.js';
import type { SendLog, SentMessage, SentRequest } from './send-log.js';

/** Longer than any request id SMN (or this service) gives: answered as unknown without a lookup. */
const MAX_REQUEST_ID_LENGTH = 256;

/** One publishPromotionSms call as its tenant may read it: the request and its messages, in send order. */
export interface OwnRequest {
  readonly request: SentRequest;
  readonly messages: readonly SentMessage[];
}

/**
 * Where sent messages are kept after the send log forgot them (the history in PostgreSQL: its
 * HistoryStore satisfies this). Every read takes the tenant first: another tenant's messages answer
 * like unknown ones.
 */
export interface SentArchive {
  /** Messages by id, in the order asked (undefined where unknown to this tenant). */
  findMessages(tenant: string, messageIds: readonly string[]): Promise<Array<SentMessage | undefined>>;
  /** A request with its message ids in send order, or undefined when unknown to this tenant. */
  findRequest(tenant: string, requestId: string): Promise<SentRequest | undefined>;
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

export function createSentMessages(
  sendLog: Pick<SendLog, 'find' | 'findMany' | 'findRequest'>,
  /** Asked only for what the send log does not know (expired); without it, the send log is all there is. */
  archive?: SentArchive,
): SentMessages {
  const ownRequest = async (caller: Caller, requestId: string): Promise<SentRequest | undefined> => {
    if (requestId.length > MAX_REQUEST_ID_LENGTH) return undefined;
    const request = await sendLog.findRequest(requestId);
    return request && sameTenant(request.sentBy, caller) ? request : undefined;
  };
  /** The messages, from the send log, those it has forgotten from the archive (when there is one). */
  const ownMessages = async (caller: Caller, messageIds: readonly string[]): Promise<SentMessage[]> => {
    const found = [...(await sendLog.findMany(messageIds))];
    const missing = messageIds.filter((_, index) => found[index] === undefined);
    if (archive && missing.length > 0) {
      const archived = await archive.findMessages(tenantOf(caller), missing);
      let next = 0;
      found.forEach((message, index) => {
        if (message === undefined) found[index] = archived[next++];
      });
    }
    return found.filter((message): message is SentMessage => message !== undefined);
  };
  return {
    async message(caller, messageId) {
      const message = await sendLog.find(messageId);
      if (message && sameTenant(message.sentBy, caller)) return message;
      if (!archive || message || messageId.length > MAX_REQUEST_ID_LENGTH) return undefined;
      return (await archive.findMessages(tenantOf(caller), [messageId]))[0];
    },
    async request(caller, requestId) {
      const request =
        (await ownRequest(caller, requestId)) ??
        (archive && requestId.length <= MAX_REQUEST_ID_LENGTH
          ? await archive.findRequest(tenantOf(caller), requestId)
          : undefined);
      if (!request) return undefined;
      return { request, messages: await ownMessages(caller, request.messageIds) };
    },
    // The send log only: a subscription follows delivery reports, which only messages it still holds get.
    ownsRequest: async (caller, requestId) => (await ownRequest(caller, requestId)) !== undefined,
  };
}
