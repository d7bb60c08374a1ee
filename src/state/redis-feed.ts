import type { RedisClient } from './redis-client.js';
import type { Logger } from 'pino';
import { createListenerRegistry, type Feed } from '../util/feed.js';

export interface RedisFeedOptions<T> {
  readonly channel: string;
  readonly keyOf: (value: T) => string;
  readonly encode: (value: T) => string;
  readonly decode: (raw: string) => T;
}

/**
 * A feed over Redis pub/sub, one channel for all: every replica hears every change and hands it to its
 * own subscribers of that key. A second connection is used, as subscribing takes it over.
 */
export function createRedisFeed<T>(redis: RedisClient, options: RedisFeedOptions<T>, logger: Logger): Feed<T> {
  const subscriber = redis.duplicate();
  const listeners = createListenerRegistry(options.keyOf);
  subscriber.on('error', () => undefined); // the main connection reports Redis being down
  // Commands wait for no connection (no offline queue): subscribe once it is up; ioredis resubscribes
  // by itself after a reconnect.
  const subscribe = () =>
    void subscriber.subscribe(options.channel).catch((error: unknown) => {
      logger.error({ err: error, channel: options.channel }, 'could not subscribe to a change feed');
    });
  if (subscriber.status === 'ready') subscribe();
  else subscriber.once('ready', subscribe);
  subscriber.on('message', (_channel: string, raw: string) => listeners.emit(options.decode(raw)));
  return {
    async publish(value) {
      await redis.publish(options.channel, options.encode(value));
    },
    subscribe: (key, listener) => listeners.add(key, listener),
    async close() {
      listeners.clear();
      subscriber.disconnect();
    },
  };
}
