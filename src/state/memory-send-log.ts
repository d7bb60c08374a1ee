import type { DeliveryState, SendLog, SentMessage, SentRequest } from '../sms/send-log.js';

export interface MemorySendLogOptions {
  /** Most messages kept (between half of it and all of it: they leave in halves, oldest first). */
  readonly maxEntries: number;
  /** How long a message can be found after it was submitted. */
  readonly ttlMs: number;
  /** Wall-clock milliseconds, compared with each message's submittedAt (tests pin it). */
  readonly clock?: { now(): number };
}

/**
 * Consecutive messages of one send, kept once: what they share (request, template, signature, time,
 * sender, campaign) in one object, their ids and numbers in two arrays, delivery states only once a
 * report arrives. A 1000-number send is four objects here, not a thousand (bench/RESULTS.md).
 */
interface Batch {
  readonly requestId: string;
  readonly smsTemplateId: string;
  readonly signId: string | undefined;
  readonly extendCode: string | undefined;
  readonly submittedAt: Date;
  readonly sentBy: SentMessage['sentBy'];
  readonly campaignId: string | undefined;
  readonly messageIds: string[];
  readonly endpoints: string[];
  deliveries: Array<DeliveryState | undefined> | undefined;
}

const sameSend = (batch: Batch, message: SentMessage) =>
  batch.requestId === message.requestId &&
  batch.smsTemplateId === message.smsTemplateId &&
  batch.signId === message.signId &&
  batch.extendCode === message.extendCode &&
  batch.submittedAt.getTime() === message.submittedAt.getTime() &&
  batch.sentBy === message.sentBy &&
  batch.campaignId === message.campaignId;

function batchOf(message: SentMessage): Batch {
  return {
    requestId: message.requestId,
    smsTemplateId: message.smsTemplateId,
    signId: message.signId,
    extendCode: message.extendCode,
    submittedAt: message.submittedAt,
    sentBy: message.sentBy,
    campaignId: message.campaignId,
    messageIds: [],
    endpoints: [],
    deliveries: undefined,
  };
}

function messageAt(batch: Batch, index: number): SentMessage {
  return {
    messageId: batch.messageIds[index]!,
    endpoint: batch.endpoints[index]!,
    requestId: batch.requestId,
    smsTemplateId: batch.smsTemplateId,
    signId: batch.signId,
    extendCode: batch.extendCode,
    submittedAt: batch.submittedAt,
    sentBy: batch.sentBy,
    delivery: batch.deliveries?.[index],
    campaignId: batch.campaignId,
  };
}

/**
 * The embedded send log: bounded in size and age, private to this process. Two generations (the
 * design of quick-lru): new messages go into `current`; when it holds half the bound, or is older
 * than the TTL, it becomes `previous`, and the old `previous` is dropped whole (every message in it
 * has then expired, or the bound needs the room). Nothing is ever deleted one by one; age is checked
 * on read, and a timer turns the generations over while nothing is recorded, so expired messages
 * leave memory. Each generation maps a message id to its batch (above).
 */
export function createMemorySendLog(
  options: MemorySendLogOptions,
): SendLog & { readonly size: number; readonly retained: number; close(): void } {
  const generationSize = Math.max(1, Math.ceil(options.maxEntries / 2));
  const now = () => (options.clock ?? Date).now();
  let current = new Map<string, Batch>();
  let previous = new Map<string, Batch>();
  // Requests turn over with their messages.
  let currentRequests = new Map<string, Batch>();
  let previousRequests = new Map<string, Batch>();
  let currentSince = now();
  const turnOver = () => {
    previous = current;
    current = new Map();
    previousRequests = currentRequests;
    currentRequests = new Map();
    currentSince = now();
  };
  const turnOverIfOld = () => {
    if (now() - currentSince >= options.ttlMs) turnOver();
  };
  const timer = setInterval(turnOverIfOld, Math.min(options.ttlMs, 60_000));
  timer.unref();
  const fresh = (batch: Batch | undefined): batch is Batch =>
    batch !== undefined && batch.submittedAt.getTime() + options.ttlMs > now();
  const locate = (messageId: string) => {
    const batch = current.get(messageId) ?? previous.get(messageId);
    return fresh(batch) ? { batch, index: batch.messageIds.indexOf(messageId) } : undefined;
  };
  const lookup = (messageId: string) => {
    const found = locate(messageId);
    return found && messageAt(found.batch, found.index);
  };

  return {
    get size() {
      let count = 0;
      for (const generation of [current, previous]) {
        for (const [messageId, batch] of generation) {
          if (fresh(batch) && (generation === current || !current.has(messageId))) count += 1;
        }
      }
      return count;
    },
    /** Messages held in memory, expired or not. */
    get retained() {
      return current.size + previous.size;
    },
    record(messages) {
      turnOverIfOld();
      let batch: Batch | undefined;
      for (const message of messages) {
        if (!batch || !sameSend(batch, message)) {
          batch = batchOf(message);
          currentRequests.set(batch.requestId, batch);
        }
        batch.messageIds.push(message.messageId);
        batch.endpoints.push(message.endpoint);
        if (message.delivery) (batch.deliveries ??= [])[batch.messageIds.length - 1] = message.delivery;
        current.set(message.messageId, batch);
        if (current.size >= generationSize) {
          turnOver();
          // The rest of this batch goes on in the new generation; its request stays findable.
          currentRequests.set(batch.requestId, batch);
        }
      }
      return Promise.resolve();
    },
    find: (messageId) => Promise.resolve(lookup(messageId)),
    findMany: (messageIds) => Promise.resolve(messageIds.map(lookup)),
    findRequest(requestId) {
      const batch = currentRequests.get(requestId) ?? previousRequests.get(requestId);
      if (!fresh(batch)) return Promise.resolve(undefined);
      const request: SentRequest = {
        requestId: batch.requestId,
        submittedAt: batch.submittedAt,
        messageIds: [...batch.messageIds],
        sentBy: batch.sentBy,
      };
      return Promise.resolve(request);
    },
    updateDelivery(messageId, delivery) {
      const found = locate(messageId);
      if (!found) return Promise.resolve({ outcome: 'unknown' as const });
      const { batch, index } = found;
      const known = batch.deliveries?.[index];
      if (known && known.status !== 'SUBMITTED') {
        return Promise.resolve({ outcome: 'unchanged' as const, message: messageAt(batch, index) });
      }
      (batch.deliveries ??= [])[index] = delivery;
      return Promise.resolve({ outcome: 'updated' as const, message: messageAt(batch, index) });
    },
    close() {
      clearInterval(timer);
    },
  };
}
