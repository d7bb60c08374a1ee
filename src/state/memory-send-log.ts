import { sameSend, type DeliveryState, type SendLog, type SentMessage, type SentRequest } from '../send/send-log.js';
import type { Clock } from '../util/clock.js';

export interface MemorySendLogOptions {
  /** Most messages kept (between half of it and all of it: they leave in halves, oldest first). */
  readonly maxEntries: number;
  /** How long a message can be found after it was submitted. */
  readonly ttlMs: number;
  /** The wall clock, compared with each message's submittedAt (tests pin it). */
  readonly clock?: Clock;
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

function batchOf(message: SentMessage, messageIds: string[], endpoints: string[]): Batch {
  return {
    requestId: message.requestId,
    smsTemplateId: message.smsTemplateId,
    signId: message.signId,
    extendCode: message.extendCode,
    submittedAt: message.submittedAt,
    sentBy: message.sentBy,
    campaignId: message.campaignId,
    messageIds,
    endpoints,
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
 * A request as its record() call gave it: its batches in send order (one, unless its messages differ in
 * what a batch shares, e.g. the clock ticked while they were built).
 */
interface RequestEntry {
  readonly batches: Batch[];
}

/** Part of a batch that went into one generation (a batch larger than a generation spans two). */
interface Span {
  readonly batch: Batch;
  readonly from: number;
  readonly to: number;
}

/**
 * Half of the log. Messages are indexed by id lazily: recording a send appends one span, and the
 * id-to-batch map is only filled when an id is looked up (a delivery report, `sentSms`, `_entities`),
 * so a service nobody asks about messages never pays per message, and one that does pays once.
 */
interface Generation {
  readonly spans: Span[];
  readonly index: Map<string, Batch>;
  /** How many spans, from the first, are in `index`. */
  indexedSpans: number;
  messages: number;
  readonly requests: Map<string, RequestEntry>;
  readonly since: number;
}

const generation = (since: number): Generation => ({
  spans: [],
  index: new Map(),
  indexedSpans: 0,
  messages: 0,
  requests: new Map(),
  since,
});

function catchUp(gen: Generation): void {
  for (; gen.indexedSpans < gen.spans.length; gen.indexedSpans += 1) {
    const { batch, from, to } = gen.spans[gen.indexedSpans]!;
    for (let index = from; index < to; index += 1) gen.index.set(batch.messageIds[index]!, batch);
  }
}

/**
 * The embedded send log: bounded in size and age, private to this process. Two generations (the
 * design of quick-lru): new messages go into `current`; when it holds half the bound, or is older
 * than the TTL, it becomes `previous`, and the old `previous` is dropped whole (every message in it
 * has then expired, or the bound needs the room). Nothing is ever deleted one by one; age is checked
 * on read, and a timer turns the generations over while nothing is recorded, so expired messages
 * leave memory. A send is kept once (its batch, above) and indexed by message id only when asked.
 */
export function createMemorySendLog(
  options: MemorySendLogOptions,
): SendLog & { readonly size: number; readonly retained: number; close(): void } {
  const generationSize = Math.max(1, Math.ceil(options.maxEntries / 2));
  const { clock } = options;
  const now = clock ? () => clock.now().getTime() : Date.now;
  let current = generation(now());
  let previous = generation(now());
  const turnOver = () => {
    previous = current;
    current = generation(now());
  };
  const turnOverIfOld = () => {
    if (now() - current.since >= options.ttlMs) turnOver();
  };
  const timer = setInterval(turnOverIfOld, Math.min(options.ttlMs, 60_000));
  timer.unref();
  const fresh = (batch: Batch | undefined): batch is Batch =>
    batch !== undefined && batch.submittedAt.getTime() + options.ttlMs > now();
  const batchOfId = (messageId: string) => {
    catchUp(current);
    catchUp(previous);
    return current.index.get(messageId) ?? previous.index.get(messageId);
  };
  const locate = (messageId: string) => {
    const batch = batchOfId(messageId);
    return fresh(batch) ? { batch, index: batch.messageIds.indexOf(messageId) } : undefined;
  };
  const lookup = (messageId: string) => {
    const found = locate(messageId);
    return found && messageAt(found.batch, found.index);
  };

  return {
    get size() {
      catchUp(current);
      catchUp(previous);
      let count = 0;
      for (const gen of [current, previous]) {
        for (const [messageId, batch] of gen.index) {
          if (fresh(batch) && (gen === current || !current.index.has(messageId))) count += 1;
        }
      }
      return count;
    },
    /** Messages held in memory, expired or not. */
    get retained() {
      return current.messages + previous.messages;
    },
    record(messages) {
      turnOverIfOld();
      // Per request id, this call's batches: a request recorded again is replaced whole, as in Redis.
      const entries = new Map<string, RequestEntry>();
      for (let start = 0; start < messages.length;) {
        // A run of messages of one send becomes one batch, its arrays allocated at their exact size.
        const first = messages[start]!;
        let end = start + 1;
        while (end < messages.length && sameSend(first, messages[end]!)) end += 1;
        const run = messages.slice(start, end);
        const batch = batchOf(
          first,
          run.map((message) => message.messageId),
          run.map((message) => message.endpoint),
        );
        run.forEach((message, index) => {
          if (message.delivery && message.delivery.status !== 'SUBMITTED')
            (batch.deliveries ??= [])[index] = message.delivery;
        });
        let entry = entries.get(batch.requestId);
        if (!entry) entries.set(batch.requestId, (entry = { batches: [] }));
        entry.batches.push(batch);
        current.requests.set(batch.requestId, entry);
        for (let from = 0; from < run.length;) {
          const to = Math.min(run.length, from + generationSize - current.messages);
          current.spans.push({ batch, from, to });
          current.messages += to - from;
          from = to;
          if (current.messages >= generationSize) {
            turnOver();
            // The rest of this batch goes on in a span of the new generation; its request stays findable.
            if (from < run.length) current.requests.set(batch.requestId, entry);
          }
        }
        start = end;
      }
      return Promise.resolve();
    },
    find: (messageId) => Promise.resolve(lookup(messageId)),
    findMany: (messageIds) => Promise.resolve(messageIds.map(lookup)),
    findRequest(requestId) {
      const entry = current.requests.get(requestId) ?? previous.requests.get(requestId);
      const batch = entry?.batches[0];
      if (!entry || !fresh(batch)) return Promise.resolve(undefined);
      const request: SentRequest = {
        requestId: batch.requestId,
        submittedAt: batch.submittedAt,
        messageIds: entry.batches.flatMap((each) => each.messageIds),
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
    maskEndpoint(messageIds, replacement) {
      let changed = 0;
      for (const messageId of new Set(messageIds)) {
        const found = locate(messageId);
        if (found && found.batch.endpoints[found.index] !== replacement) {
          found.batch.endpoints[found.index] = replacement;
          changed += 1;
        }
      }
      return Promise.resolve(changed);
    },
    close() {
      clearInterval(timer);
    },
  };
}
