import { REPLY_WINDOW_MS, type RecentRecipient, type RecentRecipientsStore } from '../send/recent-recipients.js';
import { systemClock, type Clock } from '../util/clock.js';

/** Most recent sends one replica remembers for matching replies; the oldest buckets go first past it. */
const MAX_REMEMBERED = 100_000;

/** What a send shares: one object for all the numbers of a batch (entries are keyed `number|tenant`). */
type SendFacts = Omit<RecentRecipient, 'number'>;

/** Recent recipients for a single replica: buckets by last four digits, pruned by age. */
export function createMemoryRecentRecipients(clock: Clock = systemClock): RecentRecipientsStore {
  const buckets = new Map<string, Map<string, SendFacts>>();
  let count = 0;
  const prune = (key: string, bucket: Map<string, SendFacts>) => {
    const oldest = clock.now().getTime() - REPLY_WINDOW_MS;
    for (const [entry, recipient] of bucket) {
      if (recipient.at < oldest) {
        bucket.delete(entry);
        count -= 1;
      }
    }
    if (bucket.size === 0) buckets.delete(key);
  };
  return {
    remember(recipients) {
      let facts: SendFacts | undefined;
      for (const recipient of recipients) {
        const key = recipient.number.slice(-4);
        let bucket = buckets.get(key);
        if (!bucket) buckets.set(key, (bucket = new Map()));
        const entry = `${recipient.number}|${recipient.tenant}`;
        if (!bucket.has(entry)) count += 1;
        bucket.delete(entry); // re-inserted last: newest at the end
        if (
          !facts ||
          facts.tenant !== recipient.tenant ||
          facts.signId !== recipient.signId ||
          facts.at !== recipient.at
        ) {
          facts = { tenant: recipient.tenant, signId: recipient.signId, at: recipient.at };
        }
        bucket.set(entry, facts);
      }
      for (const [key, bucket] of buckets) {
        if (count <= MAX_REMEMBERED) break;
        count -= bucket.size;
        buckets.delete(key);
      }
      return Promise.resolve();
    },
    near(countryCode, lastFour, since) {
      const bucket = buckets.get(lastFour);
      if (!bucket) return Promise.resolve([]);
      prune(lastFour, bucket);
      const found: RecentRecipient[] = [];
      for (const [entry, facts] of bucket) {
        const number = entry.slice(0, entry.indexOf('|')); // numbers never hold '|'; a tenant might
        if (facts.at >= since && number.startsWith(`+${countryCode}`)) found.push({ number, ...facts });
      }
      return Promise.resolve(found);
    },
  };
}
