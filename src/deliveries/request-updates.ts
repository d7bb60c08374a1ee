import type { Caller } from '../auth/caller.js';
import type { SentMessage } from '../send/send-log.js';
import type { SentMessages } from '../send/sent-messages.js';
import { feedUpdates } from '../util/feed.js';
import type { DeliveryFeed } from './feed.js';

/** A message whose delivery is final: any status but SUBMITTED (the first final status wins, send log). */
export function isFinal(message: SentMessage): boolean {
  return message.delivery !== undefined && message.delivery.status !== 'SUBMITTED';
}

export interface RequestUpdatesSources {
  readonly sentMessages: Pick<SentMessages, 'request' | 'ownsRequest'>;
  readonly feed: Pick<DeliveryFeed, 'subscribe'>;
}

/**
 * The delivery of one request's messages as a stream that starts from the current state and ends:
 * every message already final first (send order), then each message as it becomes final; done once
 * every message the request still holds is final (at once, after the final ones, for a request only the
 * history still knows: no report can change it any more).
 *
 * No report is lost between the read and the subscription: the feed is subscribed first, the state read
 * second, and a message seen both ways is handed out once (by message id). Undefined (and nothing left
 * subscribed) when the request is unknown to the caller: another tenant's answers exactly like unknown.
 */
export async function requestUpdates(
  sources: RequestUpdatesSources,
  caller: Caller,
  requestId: string,
): Promise<AsyncIterableIterator<SentMessage> | undefined> {
  const changes = feedUpdates(sources.feed, requestId);
  let own;
  let live;
  try {
    // Whether the send log still holds it (reports apply only there), then what is known of it.
    live = await sources.sentMessages.ownsRequest(caller, requestId);
    own = await sources.sentMessages.request(caller, requestId);
  } catch (error) {
    await changes.return?.();
    throw error;
  }
  if (!own) {
    await changes.return?.();
    return undefined;
  }
  const handedOut = new Set<string>();
  const pending = new Set<string>();
  const first: SentMessage[] = [];
  for (const message of own.messages) {
    if (isFinal(message)) first.push(message);
    else if (live) pending.add(message.messageId);
  }
  let done = false;
  const finish = async (): Promise<IteratorResult<SentMessage>> => {
    done = true;
    await changes.return?.();
    return { value: undefined, done: true };
  };
  // Nothing will change any more: the subscription is released before the first item is read.
  if (pending.size === 0) await changes.return?.();
  const iterator: AsyncIterableIterator<SentMessage> = {
    async next(): Promise<IteratorResult<SentMessage>> {
      const current = first.shift();
      if (current) {
        handedOut.add(current.messageId);
        return { value: current, done: false };
      }
      if (done || pending.size === 0) return finish();
      for (;;) {
        const change = await changes.next();
        if (change.done) return finish();
        const message = change.value;
        // Already handed out from the state read, or not (yet) final: nothing new to say.
        if (handedOut.has(message.messageId) || !isFinal(message)) continue;
        handedOut.add(message.messageId);
        pending.delete(message.messageId);
        // The last one: the listener goes now, the stream ends with the next read.
        if (pending.size === 0) {
          done = true;
          await changes.return?.();
        }
        return { value: message, done: false };
      }
    },
    return: finish,
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
