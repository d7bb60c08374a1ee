import type { SmsFailure } from '../send/match-results.js';
import {
  batchCount,
  CAMPAIGN_BATCH_SIZE,
  EMPTY_COUNTS,
  isFinished,
  type Campaign,
  type CampaignCounts,
  type CampaignStatus,
} from '../campaigns/campaign.js';
import type { CampaignStore } from '../campaigns/campaign-store.js';
import { systemClock, type Clock } from '../util/clock.js';

interface Entry {
  campaign: Campaign;
  readonly recipients: string[];
  readonly canonical: Set<string>;
  readonly done: Set<number>;
  readonly failures: SmsFailure[];
  nextSlot: number;
}

type Counter = keyof CampaignCounts;

/**
 * One replica's campaigns, in memory: lost on restart (the app warns at start-up). The numbers all
 * campaigns hold at once are bounded by `maxRecipients` (CAMPAIGN_MEMORY_MAX_RECIPIENTS): a finished
 * campaign's numbers are never read again, so they leave memory (and the budget) when it finishes, a
 * draft's when it expires.
 */
export function createMemoryCampaignStore(options: {
  readonly retentionMs: number;
  readonly maxRecipients?: number;
  readonly clock?: Clock;
}): CampaignStore {
  const clock = options.clock ?? systemClock;
  const budget = options.maxRecipients ?? Number.POSITIVE_INFINITY;
  const entries = new Map<string, Entry>();
  const createKeys = new Map<string, { hash: string; id: string }>();
  /** Numbers held by all campaigns: the sum of every entry's `recipients.length`. */
  let held = 0;

  const release = (entry: Entry) => {
    held -= entry.recipients.length;
    entry.recipients.length = 0;
    entry.canonical.clear();
  };
  /** Past the retention period: finished that long ago, or a draft never started created that long ago. */
  const expired = ({ campaign }: Entry, horizon: number) =>
    (campaign.finishedAt && isFinished(campaign.status) && campaign.finishedAt.getTime() < horizon) ||
    // A draft never started is forgotten after the retention period too.
    (campaign.status === 'DRAFT' && campaign.createdAt.getTime() < horizon);
  const horizon = () => clock.now().getTime() - options.retentionMs;
  const prune = () => {
    const before = horizon();
    for (const [id, entry] of entries) {
      if (expired(entry, before)) {
        release(entry);
        entries.delete(id);
      }
    }
    for (const [key, { id }] of createKeys) if (!entries.has(id)) createKeys.delete(key);
  };
  /** The campaign's entry, unless it is past the retention period (then it goes now, as in Redis). */
  const live = (id: string) => {
    const entry = entries.get(id);
    if (!entry || !expired(entry, horizon())) return entry;
    release(entry);
    entries.delete(id);
    return undefined;
  };
  /** Campaigns of the tenant not yet finished. */
  const openOf = (tenant: string) => {
    let open = 0;
    for (const { campaign } of entries.values()) if (campaign.tenant === tenant && !isFinished(campaign.status)) open++;
    return open;
  };
  const update = (entry: Entry, patch: Partial<Campaign>) => {
    entry.campaign = { ...entry.campaign, ...patch };
  };
  const add = (entry: Entry, counter: Counter, by: number) =>
    update(entry, { [counter]: entry.campaign[counter] + by });

  return {
    create(campaign, maxOpen, idempotency) {
      prune();
      if (idempotency) {
        const known = createKeys.get(idempotency.key);
        const existing = known && entries.get(known.id);
        if (known && existing) {
          if (known.hash !== idempotency.hash) return Promise.resolve({ outcome: 'key-reused' });
          return Promise.resolve({ outcome: 'replayed', campaign: existing.campaign });
        }
      }
      // Counted and created without an await between: concurrent creates cannot both pass.
      const open = openOf(campaign.tenant);
      if (open >= maxOpen) return Promise.resolve({ outcome: 'limit-reached', open });
      if (idempotency) createKeys.set(idempotency.key, { hash: idempotency.hash, id: campaign.id });
      const stored: Campaign = { ...campaign, ...EMPTY_COUNTS, batches: 0, generation: 0 };
      entries.set(campaign.id, {
        campaign: stored,
        recipients: [],
        canonical: new Set(),
        done: new Set(),
        failures: [],
        nextSlot: 0,
      });
      return Promise.resolve({ outcome: 'created', campaign: stored });
    },
    get: (id) => Promise.resolve(live(id)?.campaign),
    list(tenant, query) {
      prune();
      const ids = [...entries.values()]
        .filter((entry) => entry.campaign.tenant === tenant)
        .map((entry) => entry.campaign.id)
        .sort()
        .reverse()
        .filter((id) => query.after === undefined || id < query.after);
      const matching = ids
        .map((id) => entries.get(id)!.campaign)
        .filter((campaign) => query.status === undefined || campaign.status === query.status);
      const page = matching.slice(0, query.first);
      return Promise.resolve({
        campaigns: page,
        hasNextPage: matching.length > page.length,
        endCursor: page.at(-1)?.id,
      });
    },
    addRecipients(id, given, max) {
      const entry = live(id);
      if (!entry) return Promise.resolve({ outcome: 'unknown' });
      if (entry.campaign.status !== 'DRAFT')
        return Promise.resolve({ outcome: 'not-draft', status: entry.campaign.status });
      const seen = new Set<string>();
      const fresh = given.filter((item) => {
        if (entry.canonical.has(item.canonical) || seen.has(item.canonical)) return false;
        seen.add(item.canonical);
        return true;
      });
      if (entry.recipients.length + fresh.length > max) {
        return Promise.resolve({ outcome: 'too-many', recipients: entry.recipients.length });
      }
      if (held + fresh.length > budget) {
        // Expired drafts give their numbers back first (this one's too, if it has expired).
        prune();
        if (!entries.has(id)) return Promise.resolve({ outcome: 'unknown' });
        if (held + fresh.length > budget) return Promise.resolve({ outcome: 'over-budget', budget });
      }
      held += fresh.length;
      for (const item of fresh) {
        entry.canonical.add(item.canonical);
        entry.recipients.push(item.endpoint);
      }
      add(entry, 'recipients', fresh.length);
      add(entry, 'duplicatesRemoved', given.length - fresh.length);
      return Promise.resolve({ outcome: 'added', added: fresh.length, duplicates: given.length - fresh.length });
    },
    transition(id, from, patch) {
      const entry = live(id);
      if (!entry) return Promise.resolve({ changed: false, campaign: undefined });
      if (!from.includes(entry.campaign.status)) return Promise.resolve({ changed: false, campaign: entry.campaign });
      const { nextGeneration, fixBatches, ...fields } = patch;
      update(entry, {
        ...fields,
        ...(nextGeneration && { generation: entry.campaign.generation + 1 }),
        ...(fixBatches && { batches: batchCount(entry.campaign.recipients) }),
      });
      // Numbers are only checked for duplicates while recipients can still be added.
      if (patch.status !== 'DRAFT') entry.canonical.clear();
      if (isFinished(patch.status)) release(entry);
      return Promise.resolve({ changed: true, campaign: entry.campaign });
    },
    batch(id, index) {
      const start = index * CAMPAIGN_BATCH_SIZE;
      return Promise.resolve(live(id)?.recipients.slice(start, start + CAMPAIGN_BATCH_SIZE) ?? []);
    },
    batchDone: (id, index) => Promise.resolve(live(id)?.done.has(index) ?? false),
    doneBatches: (id) => Promise.resolve(new Set(live(id)?.done ?? [])),
    recordBatch(id, index, outcome, at) {
      const entry = live(id);
      if (!entry || entry.done.has(index)) {
        return Promise.resolve({ recorded: false, completed: false, campaign: entry?.campaign });
      }
      entry.done.add(index);
      for (const counter of ['sent', 'failed', 'suppressed', 'unknown'] as const) add(entry, counter, outcome[counter]);
      add(entry, 'unrecorded', outcome.unrecorded ?? 0);
      add(entry, 'batchesDone', 1);
      entry.failures.push(...outcome.failures);
      const { campaign } = entry;
      const completed =
        campaign.batchesDone >= campaign.batches && (campaign.status === 'RUNNING' || campaign.status === 'PAUSED');
      if (completed) {
        update(entry, { status: 'COMPLETED', finishedAt: at, nextBatchAt: undefined });
        release(entry);
      }
      return Promise.resolve({ recorded: true, completed, campaign: entry.campaign });
    },
    setNextBatchAt(id, at) {
      const entry = live(id);
      if (entry && !isFinished(entry.campaign.status)) update(entry, { nextBatchAt: at });
      return Promise.resolve();
    },
    takeSlot(id, messages, perSecond, now) {
      const entry = live(id);
      if (!entry || perSecond <= 0) return Promise.resolve({ go: true, next: now });
      if (entry.nextSlot > now) return Promise.resolve({ go: false, at: entry.nextSlot });
      entry.nextSlot = now + (messages * 1000) / perSecond;
      return Promise.resolve({ go: true, next: entry.nextSlot });
    },
    countDelivery(id, outcome) {
      const entry = live(id);
      if (entry) add(entry, outcome, 1);
      return Promise.resolve();
    },
    failures(id, offset, count) {
      const all = live(id)?.failures ?? [];
      return Promise.resolve({ failures: all.slice(offset, offset + count), total: all.length });
    },
    statusCounts() {
      prune();
      const counts: Partial<Record<CampaignStatus, number>> = {};
      for (const { campaign } of entries.values()) {
        if (!isFinished(campaign.status)) counts[campaign.status] = (counts[campaign.status] ?? 0) + 1;
      }
      return Promise.resolve(counts);
    },
  };
}
