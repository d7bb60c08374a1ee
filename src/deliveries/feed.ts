import type { SentMessage } from '../send/send-log.js';
import type { Feed } from '../util/feed.js';

/**
 * Where delivery changes are announced, keyed by the message's request id: in process for one
 * replica, over Redis pub/sub for several, so a subscriber on replica A sees a report that reached B.
 */
export type DeliveryFeed = Feed<SentMessage>;

export const deliveryKey = (message: SentMessage) => message.requestId;
