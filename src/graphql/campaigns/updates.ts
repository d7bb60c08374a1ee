import type { Caller } from '../../auth/caller.js';
import { deliveriesSettled, isFinished, type Campaign } from '../../campaigns/campaign.js';
import { feedUpdates } from '../../util/feed.js';
import type { RequestContext } from '../request-context.js';

/**
 * A campaign from the current state to the end: first the campaign as it is, then, at each announcement
 * of its id (a batch, a status change, a delivery report counted), the campaign as it then is (read again,
 * so every replica's subscribers see the shared counters; a read equal to the last one yielded is not
 * yielded again). It ends once the campaign is COMPLETED or CANCELLED and its delivery counts settled
 * (`deliveriesSettled`), or `settleMs` after this stream first saw it finished, whichever comes first.
 *
 * The feed is subscribed before the first read, so no announcement falls between the two. Undefined (and
 * nothing left subscribed) when the campaign is unknown to the caller.
 */
export async function campaignUpdates(
  sources: NonNullable<RequestContext['campaigns']>,
  caller: Caller,
  id: string,
): Promise<AsyncIterableIterator<Campaign> | undefined> {
  const ids = feedUpdates(sources.updates, id);
  let current: Campaign | undefined;
  try {
    current = await sources.campaigns.get(caller, id);
  } catch (error) {
    await ids.return?.();
    throw error;
  }
  if (!current) {
    await ids.return?.();
    return undefined;
  }
  let first: Campaign | undefined = current;
  let last = '';
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  let timedOut: Promise<'timeout'> | undefined;
  const finish = async (): Promise<IteratorResult<Campaign>> => {
    done = true;
    clearTimeout(timer);
    await ids.return?.();
    return { value: undefined, done: true };
  };
  /** After yielding `campaign`: ends at once when settled, starts the timeout when first seen finished. */
  const handedOut = async (campaign: Campaign): Promise<IteratorResult<Campaign>> => {
    last = JSON.stringify(campaign);
    if (deliveriesSettled(campaign)) {
      done = true;
      clearTimeout(timer);
      await ids.return?.();
    } else if (isFinished(campaign.status) && !timedOut) {
      timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), sources.settleMs)));
    }
    return { value: campaign, done: false };
  };
  const iterator: AsyncIterableIterator<Campaign> = {
    async next(): Promise<IteratorResult<Campaign>> {
      if (first) {
        const campaign = first;
        first = undefined;
        return handedOut(campaign);
      }
      for (;;) {
        if (done) return finish();
        const signal = await (timedOut ? Promise.race([ids.next(), timedOut]) : ids.next());
        if (signal === 'timeout' || signal.done || done) return finish();
        const campaign = await sources.campaigns.get(caller, id);
        if (!campaign) return finish();
        if (JSON.stringify(campaign) !== last) return handedOut(campaign);
      }
    },
    return: finish,
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
