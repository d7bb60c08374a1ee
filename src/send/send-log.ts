/** One message SMN accepted: what the send log keeps, and what an SmsSent entity is built from. */
export interface SentMessage {
  readonly messageId: string;
  readonly endpoint: string;
  /** SMN's request_id of the call that sent it. */
  readonly requestId: string;
  readonly smsTemplateId: string;
  readonly signId?: string | undefined;
  readonly extendCode?: string | undefined;
  /** When the batch was submitted to SMN. */
  readonly submittedAt: Date;
  /** Who sent it: the token's subject, and tenant when the token names one. */
  readonly sentBy?: { readonly sub: string; readonly tenant?: string } | undefined;
  /** What SMN reported after the send; absent until a report arrives (SUBMITTED). */
  readonly delivery?: DeliveryState | undefined;
  /** The campaign it was sent for; absent for a direct send. */
  readonly campaignId?: string | undefined;
}

/** What the messages of one send share: a send log may keep it once for all of them. */
export type SendShape = Pick<
  SentMessage,
  'requestId' | 'smsTemplateId' | 'signId' | 'extendCode' | 'submittedAt' | 'sentBy' | 'campaignId'
>;

/** Whether two messages (or a message and a kept send) share everything a send shares. */
export function sameSend(a: SendShape, b: SendShape): boolean {
  return (
    a.requestId === b.requestId &&
    a.smsTemplateId === b.smsTemplateId &&
    a.signId === b.signId &&
    a.extendCode === b.extendCode &&
    a.submittedAt.getTime() === b.submittedAt.getTime() &&
    (a.sentBy === b.sentBy || (a.sentBy?.sub === b.sentBy?.sub && a.sentBy?.tenant === b.sentBy?.tenant)) &&
    a.campaignId === b.campaignId
  );
}

/** Where a message stands after SMN accepted it. SUBMITTED until a report says otherwise. */
export type DeliveryStatus = 'SUBMITTED' | 'DELIVERED' | 'FAILED' | 'EXPIRED' | 'REJECTED' | 'UNKNOWN';

export interface DeliveryState {
  readonly status: DeliveryStatus;
  /** The carrier's raw status_desc (DELIVRD, UNDELIV, NOROUTE, ...). */
  readonly carrierCode?: string | undefined;
  /** When this service learned it. */
  readonly reportedAt?: Date | undefined;
  /** deliver_time from the report. */
  readonly deliveredAt?: Date | undefined;
}

/** A message SMN has just accepted: no report yet. Shared (frozen), as every fresh message is in this state. */
export const SUBMITTED: DeliveryState = Object.freeze({ status: 'SUBMITTED' });

/** One publishPromotionSms call as the send log keeps it: its messages, in the order they were sent. */
export interface SentRequest {
  readonly requestId: string;
  readonly submittedAt: Date;
  readonly messageIds: readonly string[];
  readonly sentBy?: { readonly sub: string; readonly tenant?: string } | undefined;
}

/** What a delivery report did to the message it names. */
export type DeliveryUpdate =
  | { readonly outcome: 'updated'; readonly message: SentMessage }
  /** The message already had a final status: the first one wins. */
  | { readonly outcome: 'unchanged'; readonly message: SentMessage }
  | { readonly outcome: 'unknown' };

/**
 * Where accepted messages are remembered, so other subgraphs can look them up by id. Async so a
 * shared store (Redis, a database) can stand in for the in-memory one without touching callers.
 */
export interface SendLog {
  /** Remembers the messages and, per SMN request id, which messages it sent. */
  record(messages: readonly SentMessage[]): Promise<void>;
  /** The message, or undefined when it is unknown or has expired. */
  find(messageId: string): Promise<SentMessage | undefined>;
  /** Several messages in one lookup, in the order asked (undefined where unknown). */
  findMany(messageIds: readonly string[]): Promise<Array<SentMessage | undefined>>;
  /** The request, or undefined when it is unknown or has expired. */
  findRequest(requestId: string): Promise<SentRequest | undefined>;
  /** Applies a delivery report: only while the message is still SUBMITTED (atomic across replicas). */
  updateDelivery(messageId: string, delivery: DeliveryState): Promise<DeliveryUpdate>;
  /**
   * Replaces the stored number of these messages with `replacement` (erasure: the number's keyed hash),
   * keeping their time to live. Answers how many messages had their number changed (unknown, expired or
   * already replaced ones are not counted).
   */
  maskEndpoint(messageIds: readonly string[], replacement: string): Promise<number>;
}

/** Requests grouped from the messages of one record() call. */
export function requestsOf(messages: readonly SentMessage[]): SentRequest[] {
  const byId = new Map<
    string,
    { requestId: string; submittedAt: Date; messageIds: string[]; sentBy: SentMessage['sentBy'] }
  >();
  for (const message of messages) {
    let request = byId.get(message.requestId);
    if (!request) {
      request = {
        requestId: message.requestId,
        submittedAt: message.submittedAt,
        messageIds: [],
        sentBy: message.sentBy,
      };
      byId.set(message.requestId, request);
    }
    request.messageIds.push(message.messageId);
  }
  return [...byId.values()];
}
