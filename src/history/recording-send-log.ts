import type { SendLog } from '../send/send-log.js';
import { sentEvents, type HistoryEvent } from './events.js';
import type { HistoryOutbox } from './outbox.js';

export interface RecordingSendLogOptions {
  /**
   * Whether the log's own record() appends the `sent` events (the Redis send log on a server that is
   * not a Cluster: one EVAL). When false they are appended here, after the record.
   */
  readonly sendsInScript: boolean;
  /** An append that failed (logged and counted by the caller); the send or report goes on. */
  onAppendError(error: unknown): void;
}

/**
 * The send log, with history: each recorded send's `sent` events (unless the log appends them itself)
 * and each delivery report that changed a message (a `report` event with the whole updated message)
 * go to the outbox behind the send, never inside it. An append that fails never fails the send or the
 * report: it is handed to `onAppendError` and swallowed (the outbox is bounded and counts what it drops
 * for the same reason: history must not stop sending).
 */
export function recordingSendLog(log: SendLog, outbox: HistoryOutbox, options: RecordingSendLogOptions): SendLog {
  const append = async (events: readonly HistoryEvent[]) => {
    try {
      await outbox.append(events);
    } catch (error) {
      options.onAppendError(error);
    }
  };
  return {
    async record(messages) {
      await log.record(messages);
      if (!options.sendsInScript && messages.length > 0) await append(sentEvents(messages));
    },
    find: (messageId) => log.find(messageId),
    findMany: (messageIds) => log.findMany(messageIds),
    findRequest: (requestId) => log.findRequest(requestId),
    async updateDelivery(messageId, delivery) {
      const update = await log.updateDelivery(messageId, delivery);
      if (update.outcome === 'updated') await append([{ kind: 'report', message: update.message }]);
      return update;
    },
    maskEndpoint: (messageIds, replacement) => log.maskEndpoint(messageIds, replacement),
  };
}
