import type { Logger } from 'pino';
import type { Feed } from '../util/feed.js';

/**
 * Announces that a campaign changed (after a batch, a status change): best effort, since the counts
 * are already stored and a subscriber that misses one sees them with the next.
 */
export function campaignAnnouncer(updates: Pick<Feed<string>, 'publish'>, logger: Logger) {
  return (campaignId: string): Promise<void> =>
    updates.publish(campaignId).catch((error: unknown) => {
      logger.warn({ err: error, campaignId }, 'could not announce a campaign update');
    });
}
