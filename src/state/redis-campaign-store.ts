import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from './redis-client.js';
import type { SmsFailure } from '../send/match-results.js';
import {
  CAMPAIGN_BATCH_SIZE,
  CAMPAIGN_STATUSES,
  EMPTY_COUNTS,
  isFinished,
  type Campaign,
  type CampaignCounts,
  type CampaignStatus,
} from '../campaigns/campaign.js';
import type { CampaignStore, NewCampaign, TransitionPatch } from '../campaigns/campaign-store.js';
import {
  ADD_RECIPIENTS,
  ADMIT,
  CREATE,
  INCREMENT_EXISTING,
  RECORD_BATCH,
  RELEASE_CLAIM,
  SET_WHILE_ACTIVE,
  TAKE_SLOT,
  TRANSITION,
} from './redis-campaign-scripts.js';

/** The fields fixed at creation, kept as one JSON value. */
type Fixed = Omit<NewCampaign, 'status' | 'startAt'>;

const COUNTERS: ReadonlyArray<keyof CampaignCounts> = Object.keys(EMPTY_COUNTS) as Array<keyof CampaignCounts>;
const DATES = ['startAt', 'startedAt', 'finishedAt', 'nextBatchAt'] as const;
/** Ids read per round when listing with a status filter: a page costs a bounded amount of work. */
const LIST_SCAN = 200;
const MAX_LIST_SCANNED = 2_000;
/** How long an admitted create may take to write its record before its place may be taken back. */
const CREATE_GRACE_MS = 60_000;

function parse(id: string, hash: Record<string, string>): Campaign | undefined {
  if (!hash.status || !hash.fixed) return undefined;
  const fixed = JSON.parse(hash.fixed) as Fixed & { createdAt: string };
  const counts = Object.fromEntries(
    COUNTERS.map((name) => [name, Number(hash[name] ?? 0)]),
  ) as unknown as CampaignCounts;
  const dates = Object.fromEntries(
    DATES.flatMap((name) => (hash[name] ? [[name, new Date(Number(hash[name]))]] : [])),
  ) as Partial<Record<(typeof DATES)[number], Date>>;
  return {
    ...fixed,
    ...counts,
    ...dates,
    id,
    createdAt: new Date(fixed.createdAt),
    status: hash.status as CampaignStatus,
    batches: Number(hash.batches ?? 0),
    generation: Number(hash.generation ?? 0),
    ...(hash.pausedReason && { pausedReason: JSON.parse(hash.pausedReason) as Campaign['pausedReason'] }),
  };
}

/** Forgotten drafts taken out of the count per gauge read, and per draft created. */
const DRAFT_SWEEP_ON_READ = 1_000;
const DRAFT_SWEEP_ON_CREATE = 100;

/**
 * Campaigns in Redis, shared by every replica: a hash per campaign (fixed fields as JSON, status,
 * dates, counters), its recipients as a list, the canonical numbers as a set while it is a DRAFT, the
 * counted batches as a set, failures as a list. Finished campaigns expire after `retentionMs`.
 */
export function createRedisCampaignStore(redis: RedisClient, keyPrefix: string, retentionMs: number): CampaignStore {
  const base = `${keyPrefix}v1:campaign:`;
  // {id} is a hash tag: one campaign's keys live together in a Redis Cluster slot.
  const keys = (id: string) => {
    const record = `${base}{${id}}`;
    return {
      record,
      recipients: `${record}:recipients`,
      canonical: `${record}:canonical`,
      done: `${record}:done`,
      failures: `${record}:failures`,
      slot: `${record}:slot`,
    };
  };
  const tenantHash = (tenant: string) => createHash('sha256').update(tenant).digest('hex');
  const tenantIndex = (tenant: string) => `${base}tenant:${tenantHash(tenant)}`;
  /** Ids of the tenant's campaigns not yet finished (CAMPAIGN_MAX_OPEN_PER_TENANT), made exact when full. */
  const tenantOpen = (tenant: string) => `${base}open:${tenantHash(tenant)}`;
  const statusCounts = `${base}statuses`;
  /**
   * Drafts by when their record expires (a draft never started is forgotten after the retention
   * period): Redis says nothing when a key expires, so the DRAFT count is taken down by a sweep of this
   * index (`sweepForgottenDrafts`) instead of counting forgotten drafts for ever.
   */
  const drafts = `${base}drafts`;
  const createKey = (key: string) => `${base}create:${key}`;

  const get = async (id: string) => parse(id, await redis.hgetall(keys(id).record));

  /**
   * Finished: everything about it, its create key too, goes after the retention period. One command per
   * key: a Cluster pipeline must stay on one node, and the create key is in another slot.
   */
  const expire = async (id: string) => {
    const createKey = await redis.hget(keys(id).record, 'createKey');
    await Promise.all(
      [...Object.values(keys(id)), ...(createKey ? [createKey] : [])].map((key) => redis.pexpire(key, retentionMs)),
    );
  };

  /** Status counts moved after a script changed a status (a key of its own: another slot). */
  const moveCount = async (from: CampaignStatus, to: CampaignStatus) => {
    if (from === to) return;
    const move = redis.multi().hincrby(statusCounts, from, -1);
    if (!isFinished(to)) move.hincrby(statusCounts, to, 1);
    await move.exec();
  };

  /**
   * Takes the drafts whose record has expired out of the DRAFT count, at most `limit` per call. ZREM
   * decides which caller counts one down, so replicas sweeping together take each away once; a draft
   * still there (clocks a little apart) waits for the next sweep.
   */
  const sweepForgottenDrafts = async (limit: number) => {
    const due = await redis.zrangebyscore(drafts, '-inf', Date.now(), 'LIMIT', 0, limit);
    await Promise.all(
      due.map(async (id) => {
        const status = await redis.hget(keys(id).record, 'status');
        if (status === 'DRAFT') return;
        // Gone: it expired as a draft. Any other status: it left DRAFT (counted then), only unindexed here.
        const removed = await redis.zrem(drafts, id);
        if (removed === 1 && status === null) await redis.hincrby(statusCounts, 'DRAFT', -1);
      }),
    );
  };

  /**
   * A place among the tenant's `maxOpen` open campaigns, taken for `id` in one step on the open set.
   * When the set is full it is made exact first: the ids whose record finished or is gone are dropped
   * (their records are in other slots, so they are read here, then checked again by ADMIT).
   */
  const admit = async (tenant: string, id: string, maxOpen: number) => {
    const open = tenantOpen(tenant);
    const run = (finished: string[], missing: string[]) =>
      redis.eval(
        ADMIT,
        1,
        open,
        String(maxOpen),
        id,
        String(CREATE_GRACE_MS),
        String(finished.length),
        ...finished,
        ...missing,
      ) as Promise<[number, number]>;
    const first = await run([], []);
    if (first[0] === 1) return first;
    const members = await redis.zrange(open, 0, -1, 'WITHSCORES');
    const ids = members.filter((_, index) => index % 2 === 0);
    const statuses = await Promise.all(ids.map((member) => redis.hget(keys(member).record, 'status')));
    const finished: string[] = [];
    const missing: string[] = [];
    ids.forEach((member, index) => {
      const status = statuses[index];
      if (!status) missing.push(member, members[index * 2 + 1]!);
      else if (isFinished(status as CampaignStatus)) finished.push(member);
    });
    return finished.length + missing.length === 0 ? first : run(finished, missing);
  };

  /**
   * Creates the record unless the tenant has `maxOpen` campaigns not yet finished; answers the count.
   * In order: a place in the open set, the record, then what names it (the open set's mark that the
   * record is written, the tenant's index, the status counts), so no reader finds an id without a record.
   */
  const insert = async (campaign: NewCampaign, maxOpen: number, claim?: { key: string; value: string }) => {
    const [admitted, open] = await admit(campaign.tenant, campaign.id, maxOpen);
    if (admitted !== 1) {
      if (claim) await redis.eval(RELEASE_CLAIM, 1, claim.key, claim.value);
      return { created: false, open };
    }
    // A new campaign has no run yet: only its status and start time are not fixed.
    const { status, startAt, ...fixed } = campaign;
    const fields = {
      fixed: JSON.stringify(fixed),
      status,
      ...(startAt && { startAt: String(startAt.getTime()) }),
      ...Object.fromEntries(COUNTERS.map((name) => [name, '0'])),
      batches: '0',
      generation: '0',
      // The create key lives as long as its campaign: kept once it starts, expired with it.
      ...(claim && { createKey: claim.key }),
    };
    await redis.eval(CREATE, 1, keys(campaign.id).record, String(retentionMs), ...Object.entries(fields).flat());
    await Promise.all([
      redis.zadd(tenantOpen(campaign.tenant), 'XX', 0, campaign.id),
      redis.zadd(tenantIndex(campaign.tenant), 0, campaign.id),
      redis.hincrby(statusCounts, status, 1),
      ...(status === 'DRAFT' ? [redis.zadd(drafts, Date.now() + retentionMs, campaign.id)] : []),
    ]);
    // The index stays small where nobody scrapes the gauges. Best effort: the draft exists now, and a
    // create must not answer an error for a sweep.
    if (status === 'DRAFT') await sweepForgottenDrafts(DRAFT_SWEEP_ON_CREATE).catch(() => undefined);
    return { created: true, open };
  };

  return {
    async create(campaign, maxOpen, idempotency) {
      let claim: { key: string; value: string } | undefined;
      if (idempotency) {
        const value = JSON.stringify({ hash: idempotency.hash, id: campaign.id });
        const won = await redis.set(createKey(idempotency.key), value, 'PX', retentionMs, 'NX');
        if (won) claim = { key: createKey(idempotency.key), value };
        else {
          const raw = await redis.get(createKey(idempotency.key));
          const earlier = raw ? (JSON.parse(raw) as { hash: string; id: string }) : undefined;
          if (earlier && earlier.hash !== idempotency.hash) return { outcome: 'key-reused' };
          // The first create may still be writing its record.
          for (let tries = 0; earlier && tries < 40; tries++) {
            const existing = await get(earlier.id);
            if (existing) return { outcome: 'replayed', campaign: existing };
            await sleep(50);
          }
        }
      }
      const { created, open } = await insert(campaign, maxOpen, claim);
      if (!created) return { outcome: 'limit-reached', open };
      return { outcome: 'created', campaign: (await get(campaign.id))! };
    },
    get,
    async list(tenant, query) {
      const index = tenantIndex(tenant);
      const found: Campaign[] = [];
      let cursor = query.after;
      let scanned = 0;
      for (;;) {
        const ids = await redis.zrevrangebylex(
          index,
          cursor === undefined ? '+' : `(${cursor}`,
          '-',
          'LIMIT',
          0,
          LIST_SCAN,
        );
        if (ids.length === 0) return { campaigns: found, hasNextPage: false, endCursor: found.at(-1)?.id };
        // One command per campaign: each record is in a slot of its own.
        const hashes = await Promise.all(ids.map((id) => redis.hgetall(keys(id).record)));
        const gone: string[] = [];
        for (const [i, id] of ids.entries()) {
          scanned += 1;
          cursor = id;
          const campaign = parse(id, hashes[i] ?? {});
          if (!campaign) gone.push(id);
          else if (query.status === undefined || campaign.status === query.status) {
            if (found.length === query.first)
              return { campaigns: found, hasNextPage: true, endCursor: found.at(-1)?.id };
            found.push(campaign);
          }
          // A sparse filter stops after a bounded scan; the cursor lets the caller go on from there.
          if (scanned >= MAX_LIST_SCANNED) return { campaigns: found, hasNextPage: true, endCursor: id };
        }
        if (gone.length > 0) await redis.zrem(index, ...gone);
      }
    },
    async addRecipients(id, entries, max) {
      const unique = new Map<string, string>();
      for (const entry of entries) if (!unique.has(entry.canonical)) unique.set(entry.canonical, entry.endpoint);
      const k = keys(id);
      const answer = (await redis.eval(
        ADD_RECIPIENTS,
        3,
        k.record,
        k.canonical,
        k.recipients,
        String(max),
        String(entries.length - unique.size),
        ...[...unique].flat(),
      )) as [number, number | string];
      const [first, second] = answer;
      if (first === -1) return { outcome: 'unknown' };
      if (first === -2) return { outcome: 'not-draft', status: second as CampaignStatus };
      if (first === -3) return { outcome: 'too-many', recipients: Number(second) };
      return { outcome: 'added', added: first, duplicates: Number(second) };
    },
    async transition(id, from, patch: TransitionPatch) {
      const k = keys(id);
      const set: string[] = [];
      const clear: string[] = [];
      for (const name of DATES) {
        if (!(name in patch)) continue;
        const value = patch[name];
        if (value) set.push(name, String(value.getTime()));
        else clear.push(name);
      }
      if ('pausedReason' in patch) {
        if (patch.pausedReason) set.push('pausedReason', JSON.stringify(patch.pausedReason));
        else clear.push('pausedReason');
      }
      const [outcome, before, createKey] = (await redis.eval(
        TRANSITION,
        3,
        k.record,
        k.canonical,
        k.recipients,
        `,${from.join(',')},`,
        patch.status,
        patch.nextGeneration ? '1' : '0',
        patch.fixBatches ? '1' : '0',
        String(set.length / 2),
        ...set,
        ...clear,
      )) as [number, CampaignStatus?, string?];
      if (outcome === 2) {
        await Promise.all([
          moveCount(before!, patch.status),
          createKey ? redis.persist(createKey) : undefined,
          before === 'DRAFT' && patch.status !== 'DRAFT' ? redis.zrem(drafts, id) : undefined,
        ]);
        if (isFinished(patch.status)) await expire(id);
      }
      return { changed: outcome === 2, campaign: outcome === 0 ? undefined : await get(id) };
    },
    async batch(id, index) {
      const start = index * CAMPAIGN_BATCH_SIZE;
      return redis.lrange(keys(id).recipients, start, start + CAMPAIGN_BATCH_SIZE - 1);
    },
    async batchDone(id, index) {
      return (await redis.sismember(keys(id).done, String(index))) === 1;
    },
    async doneBatches(id) {
      return new Set((await redis.smembers(keys(id).done)).map(Number));
    },
    async recordBatch(id, index, outcome, at) {
      const k = keys(id);
      const [result, before] = (await redis.eval(
        RECORD_BATCH,
        3,
        k.record,
        k.done,
        k.failures,
        String(index),
        String(outcome.sent),
        String(outcome.failed),
        String(outcome.suppressed),
        String(outcome.unknown),
        String(at.getTime()),
        String(outcome.unrecorded ?? 0),
        ...outcome.failures.map((failure) => JSON.stringify(failure)),
      )) as [number, CampaignStatus?];
      if (result === 2) await Promise.all([moveCount(before!, 'COMPLETED'), expire(id)]);
      return { recorded: result > 0, completed: result === 2, campaign: await get(id) };
    },
    async setNextBatchAt(id, at) {
      await redis.eval(SET_WHILE_ACTIVE, 1, keys(id).record, 'nextBatchAt', ...(at ? [String(at.getTime())] : []));
    },
    async takeSlot(id, messages, perSecond, now) {
      if (perSecond <= 0) return { go: true, next: now };
      const share = (messages * 1000) / perSecond;
      const [taken, at] = (await redis.eval(TAKE_SLOT, 1, keys(id).slot, String(now), String(share))) as [
        number,
        string,
      ];
      return taken === 1 ? { go: true, next: Number(at) } : { go: false, at: Number(at) };
    },
    async countDelivery(id, outcome) {
      await redis.eval(INCREMENT_EXISTING, 1, keys(id).record, outcome);
    },
    async failures(id, offset, count) {
      const k = keys(id).failures;
      const [raw, total] = await Promise.all([redis.lrange(k, offset, offset + count - 1), redis.llen(k)]);
      return { failures: raw.map((entry) => JSON.parse(entry) as SmsFailure), total };
    },
    async statusCounts() {
      // Best effort (a full Redis refuses the count's HINCRBY): the counts are still read.
      await sweepForgottenDrafts(DRAFT_SWEEP_ON_READ).catch(() => undefined);
      const raw = await redis.hgetall(statusCounts);
      return Object.fromEntries(
        CAMPAIGN_STATUSES.filter((status) => raw[status] !== undefined).map((status) => [status, Number(raw[status])]),
      );
    },
  };
}
