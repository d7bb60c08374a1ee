import type { Caller } from '../../auth/caller.js';
import type { Campaign } from '../../campaigns/campaign.js';
import { feedUpdates } from '../../util/feed.js';
import type { RequestContext } from '../request-context.js';

/**
 * A campaign as it changes: each announcement of its id is answered with the campaign as it then is
 * (read again, so every replica's subscribers see the shared counters).
 */
export function campaignUpdates(
  sources: NonNullable<RequestContext['campaigns']>,
  caller: Caller,
  id: string,
): AsyncIterableIterator<Campaign> {
  const ids = feedUpdates(sources.updates, id);
  const iterator: AsyncIterableIterator<Campaign> = {
    async next(): Promise<IteratorResult<Campaign>> {
      for (;;) {
        const signal = await ids.next();
        if (signal.done) return { value: undefined, done: true };
        const campaign = await sources.campaigns.get(caller, id);
        if (campaign) return { value: campaign, done: false };
      }
    },
    async return() {
      await ids.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
