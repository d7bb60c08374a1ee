import { sameTenant, type Caller } from '../auth/caller.js';

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
}

/**
 * Where accepted messages are remembered, so other subgraphs can look them up by id. Async so a
 * shared store (Redis, a database) can stand in for the in-memory one without touching callers.
 */
export interface SendLog {
  record(messages: readonly SentMessage[]): Promise<void>;
  /** The message, or undefined when it is unknown or has expired. */
  find(messageId: string): Promise<SentMessage | undefined>;
}

/**
 * A message as `caller` may see it: one sent under another tenant is answered exactly like an unknown
 * one (undefined), so an id that travelled through logs confirms nothing.
 */
export async function findOwnMessage(
  sendLog: Pick<SendLog, 'find'>,
  caller: Caller,
  messageId: string,
): Promise<SentMessage | undefined> {
  const message = await sendLog.find(messageId);
  return message && sameTenant(message.sentBy, caller) ? message : undefined;
}
