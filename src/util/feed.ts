/**
 * A channel of changes keyed by what they concern (a request id, a campaign id): in process for one
 * replica, over Redis pub/sub for several, so a subscriber on replica A hears a change made on B.
 */
export interface Feed<T> {
  publish(value: T): Promise<void>;
  /** Listens for changes under this key; returns the way to stop. */
  subscribe(key: string, listener: (value: T) => void): () => void;
  close(): Promise<void>;
}

/** One replica's subscribers, by key: what every feed hands its changes to. */
export function createListenerRegistry<T>(keyOf: (value: T) => string) {
  const listeners = new Map<string, Set<(value: T) => void>>();
  return {
    add(key: string, listener: (value: T) => void): () => void {
      let set = listeners.get(key);
      if (!set) listeners.set(key, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(key);
      };
    },
    emit(value: T): void {
      for (const listener of listeners.get(keyOf(value)) ?? []) listener(value);
    },
    clear(): void {
      listeners.clear();
    },
  };
}

/** A feed within this process. */
export function createMemoryFeed<T>(keyOf: (value: T) => string): Feed<T> {
  const listeners = createListenerRegistry(keyOf);
  return {
    publish(value) {
      listeners.emit(value);
      return Promise.resolve();
    },
    subscribe: (key, listener) => listeners.add(key, listener),
    close() {
      listeners.clear();
      return Promise.resolve();
    },
  };
}

/** Changes waiting for a slow subscriber; past this it is cut off rather than buffered without end. */
const MAX_BUFFERED = 1_000;

/**
 * The changes under one key as an async iterator (what a GraphQL subscription returns): subscribed on
 * creation, unsubscribed when the consumer stops (`return`) or falls too far behind.
 */
export function feedUpdates<T>(feed: Pick<Feed<T>, 'subscribe'>, key: string): AsyncIterableIterator<T> {
  const buffered: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let done = false;
  const finish = () => {
    done = true;
    unsubscribe();
    waiting?.({ value: undefined, done: true });
    waiting = undefined;
  };
  const unsubscribe = feed.subscribe(key, (value) => {
    if (done) return;
    if (waiting) {
      waiting({ value, done: false });
      waiting = undefined;
    } else if (buffered.length < MAX_BUFFERED) buffered.push(value);
    else finish();
  });
  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (buffered.length > 0) return Promise.resolve({ value: buffered.shift()!, done: false });
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
