import { requestsOf, type SendLog, type SentMessage, type SentRequest } from '../sms/send-log.js';

export interface MemorySendLogOptions {
  /** Most messages kept (between half of it and all of it: they leave in halves, oldest first). */
  readonly maxEntries: number;
  /** How long a message can be found after it was submitted. */
  readonly ttlMs: number;
  /** Wall-clock milliseconds, compared with each message's submittedAt (tests pin it). */
  readonly clock?: { now(): number };
}

/**
 * The embedded send log: bounded in size and age, private to this process. Two generations (the
 * design of quick-lru): new messages go into `current`; when it holds half the bound, or is older
 * than the TTL, it becomes `previous`, and the old `previous` is dropped whole (every message in it
 * has then expired, or the bound needs the room). Nothing is ever deleted one by one, which halves
 * the cost of recording 1000 messages per call (bench/RESULTS.md); age is checked on read, and a
 * timer turns the generations over while nothing is recorded, so expired messages leave memory.
 */
export function createMemorySendLog(
  options: MemorySendLogOptions,
): SendLog & { readonly size: number; readonly retained: number; close(): void } {
  const generationSize = Math.max(1, Math.ceil(options.maxEntries / 2));
  const now = () => (options.clock ?? Date).now();
  let current = new Map<string, SentMessage>();
  let previous = new Map<string, SentMessage>();
  // Requests turn over with their messages.
  let currentRequests = new Map<string, SentRequest>();
  let previousRequests = new Map<string, SentRequest>();
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
  const fresh = <T extends { readonly submittedAt: Date }>(entry: T | undefined): entry is T =>
    entry !== undefined && entry.submittedAt.getTime() + options.ttlMs > now();
  const lookup = (messageId: string) => {
    const message = current.get(messageId) ?? previous.get(messageId);
    return fresh(message) ? message : undefined;
  };

  return {
    get size() {
      let count = 0;
      for (const generation of [current, previous]) {
        for (const [messageId, message] of generation) {
          if (fresh(message) && (generation === current || !current.has(messageId))) count += 1;
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
      for (const request of requestsOf(messages)) currentRequests.set(request.requestId, request);
      for (const message of messages) {
        current.set(message.messageId, message);
        if (current.size >= generationSize) turnOver();
      }
      return Promise.resolve();
    },
    find: (messageId) => Promise.resolve(lookup(messageId)),
    findMany: (messageIds) => Promise.resolve(messageIds.map(lookup)),
    findRequest(requestId) {
      const request = currentRequests.get(requestId) ?? previousRequests.get(requestId);
      return Promise.resolve(fresh(request) ? request : undefined);
    },
    updateDelivery(messageId, delivery) {
      const message = lookup(messageId);
      if (!message) return Promise.resolve({ outcome: 'unknown' as const });
      if (message.delivery && message.delivery.status !== 'SUBMITTED') {
        return Promise.resolve({ outcome: 'unchanged' as const, message });
      }
      const updated: SentMessage = { ...message, delivery };
      (current.has(messageId) ? current : previous).set(messageId, updated);
      return Promise.resolve({ outcome: 'updated' as const, message: updated });
    },
    close() {
      clearInterval(timer);
    },
  };
}
