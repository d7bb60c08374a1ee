import type { SendLog, SentMessage } from './send-log.js';

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
 * design of quick-lru): new messages go into `current`; when it holds half the bound it becomes
 * `previous`, and the old `previous` is dropped whole. Nothing is ever deleted one by one, which
 * halves the cost of recording 1000 messages per call (bench/RESULTS.md); age is checked on read.
 */
export function createMemorySendLog(options: MemorySendLogOptions): SendLog & { readonly size: number } {
  const generationSize = Math.max(1, Math.ceil(options.maxEntries / 2));
  let current = new Map<string, SentMessage>();
  let previous = new Map<string, SentMessage>();
  const now = () => (options.clock ?? Date).now();
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
    record(messages) {
      for (const message of messages) {
        current.set(message.messageId, message);
        if (current.size >= generationSize) {
          previous = current;
          current = new Map();
        }
      }
      return Promise.resolve();
    },
    find(messageId) {
      const message = current.get(messageId) ?? previous.get(messageId);
      return Promise.resolve(fresh(message) ? message : undefined);
    },
  };
}
