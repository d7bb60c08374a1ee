import type { SendLog, SentMessage } from '../sms/send-log.js';

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
  let currentSince = now();
  const turnOver = () => {
    previous = current;
    current = new Map();
    currentSince = now();
  };
  const turnOverIfOld = () => {
    if (now() - currentSince >= options.ttlMs) turnOver();
  };
  const timer = setInterval(turnOverIfOld, Math.min(options.ttlMs, 60_000));
  timer.unref();
  const fresh = (message: SentMessage | undefined) =>
    message !== undefined && message.submittedAt.getTime() + options.ttlMs > now();

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
      for (const message of messages) {
        current.set(message.messageId, message);
        if (current.size >= generationSize) turnOver();
      }
      return Promise.resolve();
    },
    find(messageId) {
      const message = current.get(messageId) ?? previous.get(messageId);
      return Promise.resolve(fresh(message) ? message : undefined);
    },
    close() {
      clearInterval(timer);
    },
  };
}
