import type { SentMessage } from '../sms/send-log.js';
import type { DeliveryFeed } from './feed.js';

/** Changes waiting for a slow subscriber; past this it is cut off rather than buffered without end. */
const MAX_BUFFERED = 1_000;

/**
 * The delivery changes of one request as an async iterator (what a GraphQL subscription returns):
 * subscribed on creation, unsubscribed when the consumer stops (`return`) or falls too far behind.
 */
export function deliveryUpdates(
  feed: Pick<DeliveryFeed, 'subscribe'>,
  requestId: string,
): AsyncIterableIterator<SentMessage> {
  const buffered: SentMessage[] = [];
  let waiting: ((result: IteratorResult<SentMessage>) => void) | undefined;
  let done = false;
  const finish = () => {
    done = true;
    unsubscribe();
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
  };
  const unsubscribe = feed.subscribe(requestId, (message) => {
    if (done) return;
    if (waiting) {
      waiting({ value: message, done: false });
      waiting = undefined;
    } else if (buffered.length < MAX_BUFFERED) buffered.push(message);
    else finish();
  });
  const iterator: AsyncIterableIterator<SentMessage> = {
    next() {
      const message = buffered.shift();
      if (message) return Promise.resolve({ value: message, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return() {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
