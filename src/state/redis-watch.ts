import { randomUUID } from 'node:crypto';
import calculateSlot from 'cluster-key-slot';
import type { Logger } from 'pino';
import type { PolicyError } from '../errors/policy-error.js';
import { isOutOfMemory, stateFull, stateLost, stateUnavailable } from '../errors/fail-closed.js';
import { isCluster, redisCause, type RedisClient } from './redis-client.js';
import type { RedisCauseLog } from './redis-cause-log.js';
import type { StateReadiness } from './state-port.js';

/** The state marker: written once into an empty Redis, or by `state accept-loss`. */
export interface StateMarker {
  readonly id: string;
  readonly createdAt: string;
  readonly by: 'start' | 'accept-loss';
}

export interface StateWatch {
  /** The first check: adopts the marker (or writes it into an empty Redis). Throws if Redis cannot answer. */
  start(): Promise<void>;
  /** Why a send, an opt-out change or a campaign batch must be refused now, if it must. */
  refusal(): PolicyError | undefined;
  /** Checks again (at most every 250 ms) and reports. */
  readiness(): Promise<StateReadiness>;
  close(): void;
}

/** The marker keys: one on each primary, so a primary that comes back empty is noticed. */
export function markerKeys(redis: RedisClient, prefix: string): string[] {
  const base = `${prefix}v1:state:`;
  if (!isCluster(redis)) return [`${base}{m0}`];
  const primaries = new Set(redis.slots.map((nodes) => nodes?.[0]).filter((node): node is string => !!node));
  const keys: string[] = [];
  const covered = new Set<string>();
  for (let tag = 0; covered.size < primaries.size && tag < 100_000; tag += 1) {
    const key = `${base}{m${tag}}`;
    const owner = redis.slots[calculateSlot(key)]?.[0];
    if (owner && !covered.has(owner)) {
      covered.add(owner);
      keys.push(key);
    }
  }
  return keys;
}

/** The longest one check may take before it counts as failed (and the next may start). */
const CHECK_DEADLINE_MS = 3_000;

/** The key that records a detected loss, so every replica (and one starting later) refuses too. */
export const lostKeyOf = (markerKey: string) => `${markerKey}:lost`;

const parse = (raw: unknown): StateMarker | undefined => {
  if (typeof raw !== 'string') return undefined;
  try {
    return JSON.parse(raw) as StateMarker;
  } catch {
    return undefined;
  }
};

export const RECOVERY_HINT =
  'Restore Redis from its backup (AOF or RDB) and restart it; or, after checking what was lost, run ' +
  '`node dist/cli.js state accept-loss` with the same Redis settings (it writes a new state marker).';

export interface StateWatchOptions {
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly topology: string;
  readonly intervalMs: number;
  readonly causes: RedisCauseLog;
  readonly logger: Logger;
  /** Called with each Redis OOM answer (metric). */
  readonly onOutOfMemory?: () => void;
  /**
   * Runs before sends resume after a loss (a restored backup or `state accept-loss`): the opt-out list
   * rebuilt from the history's ledger. Sends stay refused until it has succeeded.
   */
  readonly beforeResume?: () => Promise<void>;
}

interface Probe {
  readonly key: string;
  readonly marker: StateMarker | undefined;
  readonly role: string;
  readonly lost: string | undefined;
  readonly writeError: unknown;
}

/**
 * Watches shared state: a marker on every primary, created once; each check reads it and writes a
 * probe key beside it (proving this replica can write where its data lives). A marker that vanished
 * or changed (a restart without persistence, FLUSHALL, a failover to an empty node) means opt-outs
 * and idempotency records may be gone: everything that relies on them stops with STATE_LOST, a loss
 * record tells the other replicas, and only a marker written by `state accept-loss` lifts it.
 */
export function createStateWatch(options: StateWatchOptions): StateWatch {
  const { redis, causes } = options;
  const instance = randomUUID();
  const log = options.logger.child({ component: 'state' });
  let seen: StateMarker | undefined;
  let lost: string | undefined;
  let verified = false;
  let failure: string | undefined;
  let full = false;
  let nodes: StateReadiness['nodes'] = [];
  let checkedAt = 0;
  let running: Promise<void> | undefined;
  let keys: string[] = [];

  /** The rebuild before a resume: for which lift it ran, and whether it finished. */
  let rebuild: { readonly lift: string; done: boolean } | undefined;

  /**
   * Whether sends may resume for this lift of a loss: true once beforeResume finished for it; starts it
   * otherwise (in the background: a check must stay short), and the check after it finishes resumes.
   */
  const readyToResume = (lift: string): boolean => {
    if (!options.beforeResume) return true;
    if (rebuild?.lift === lift) return rebuild.done;
    const current = { lift, done: false };
    rebuild = current;
    log.warn('shared state is back: rebuilding opt-outs from the history ledger before sends resume');
    options.beforeResume().then(
      () => {
        current.done = true;
        void checkNow();
      },
      (error: unknown) => {
        if (rebuild === current) rebuild = undefined;
        log.error(
          { err: error },
          'could not rebuild opt-outs from the history ledger: sends stay refused; trying again',
        );
      },
    );
    return false;
  };

  const becomeLost = async (reason: string, lostKey: string) => {
    if (lost === undefined) {
      lost = reason;
      log.error(
        {
          reason,
          mayBeGone: 'opt-outs, idempotency records, daily counts, campaigns and their batches, sent messages',
        },
        `STATE LOST: ${reason}. Sends, opt-out changes and campaign batches are refused with STATE_LOST. ${RECOVERY_HINT}`,
      );
    }
    const record = JSON.stringify({ reason, detectedAt: new Date().toISOString(), by: instance });
    await redis.set(lostKey, record, 'NX').catch(() => undefined);
  };

  const probeOne = async (key: string, withLost: boolean): Promise<Probe> => {
    const pipeline = redis.pipeline().get(key).call('ROLE');
    if (withLost) pipeline.get(lostKeyOf(key));
    pipeline.set(`${key}:probe:${instance}`, String(Date.now()), 'PX', options.intervalMs * 3);
    const answers = (await pipeline.exec()) ?? [];
    for (const [error] of answers.slice(0, withLost ? 3 : 2)) if (error) throw error;
    const role = (answers[1]?.[1] as unknown[] | undefined)?.[0];
    return {
      key,
      marker: parse(answers[0]?.[1]),
      role: typeof role === 'string' ? role : 'unknown',
      lost: withLost ? ((answers[2]?.[1] as string | null) ?? undefined) : undefined,
      writeError: answers.at(-1)?.[0] ?? undefined,
    };
  };

  /** Marker keys that held the adopted marker: a key not among them belongs to a primary added since. */
  const known = new Set<string>();

  const adopt = (marker: StateMarker) => {
    seen = marker;
    lost = undefined;
    known.clear();
    for (const key of keys) known.add(key);
  };

  const evaluate = async (probes: Probe[]) => {
    const lostKey = lostKeyOf(keys[0]!);
    const record = probes[0]?.lost;
    if (seen) {
      // A primary added to a Cluster since (a scale-out) never had a marker: it gets the one adopted.
      // A primary that held one and comes back without it is a loss (below).
      for (const probe of probes) {
        if (known.has(probe.key) || probe.marker !== undefined) continue;
        await redis.set(probe.key, JSON.stringify(seen), 'NX');
        Object.assign(probe, { marker: parse(await redis.get(probe.key)) });
      }
    }
    const markers = probes.map((probe) => probe.marker);
    const ids = new Set(markers.map((marker) => marker?.id));
    const agreed = ids.size === 1 ? markers[0] : undefined;
    if (!seen) {
      if (record) {
        lost ??= `a loss was recorded by a replica: ${record.slice(0, 200)}`;
        return;
      }
      if (markers.every((marker) => marker === undefined)) {
        const fresh: StateMarker = { id: randomUUID(), createdAt: new Date().toISOString(), by: 'start' };
        await Promise.all(keys.map((key) => redis.set(key, JSON.stringify(fresh), 'NX')));
        const reread = await Promise.all(keys.map((key) => redis.get(key)));
        const values = new Set(reread);
        if (values.size === 1 && parse(reread[0])) {
          adopt(parse(reread[0])!);
          log.info({ createdAt: seen!.createdAt }, 'state marker written into an empty Redis');
          return;
        }
        return becomeLost('the state markers disagree', lostKey);
      }
      if (agreed) {
        if (lost !== undefined && !readyToResume(`${agreed.id}:${lost}`)) return;
        return adopt(agreed);
      }
      return becomeLost('a state marker is missing on a primary', lostKey);
    }
    if (record && lost === undefined) return becomeLost(`a loss was recorded: ${record.slice(0, 200)}`, lostKey);
    if (agreed?.id === seen.id) {
      // The same marker again: after a backup was restored (and no loss recorded in it), sends resume.
      if (lost !== undefined && !record) {
        if (!readyToResume(`${seen.id}:${lost}`)) return;
        lost = undefined;
        log.warn(
          { createdAt: seen.createdAt },
          'shared state restored (the marker seen before is back): sending again',
        );
      }
      return;
    }
    if (agreed && agreed.by === 'accept-loss' && !record) {
      if (!readyToResume(agreed.id)) return;
      adopt(agreed);
      log.warn({ createdAt: agreed.createdAt }, 'state loss accepted by an operator: sending again');
      return;
    }
    if (lost !== undefined) return;
    const reason = markers.some((marker) => marker === undefined)
      ? `the state marker written ${seen.createdAt} is gone`
      : `the state marker written ${seen.createdAt} was replaced`;
    return becomeLost(reason, lostKey);
  };

  const check = async () => {
    try {
      if (keys.length === 0 || isCluster(redis)) keys = markerKeys(redis, options.prefix);
      if (keys.length === 0) throw new Error('no Redis primary is known yet');
      const probes = await Promise.all(keys.map((key, index) => probeOne(key, index === 0)));
      nodes = probes.map((probe) => ({ role: probe.role }));
      await evaluate(probes);
      const writeError = probes.find((probe) => probe.writeError)?.writeError;
      full = isOutOfMemory(writeError);
      if (full) options.onOutOfMemory?.();
      if (writeError) {
        causes.report(writeError, 'readiness');
        failure = full ? 'Redis is out of memory (OOM)' : `cannot write: ${redisCause(writeError)}`;
        verified = false;
        return;
      }
      const notPrimary = probes.find((probe) => probe.role !== 'master');
      failure = notPrimary ? `a primary it writes to answers as ${notPrimary.role}` : undefined;
      verified = !notPrimary;
      if (verified) causes.recovered('readiness');
    } catch (error) {
      causes.report(error, 'readiness');
      verified = false;
      failure = `Redis does not answer: ${causes.last()?.cause ?? 'unknown'}`;
    } finally {
      checkedAt = Date.now();
      log.debug({ verified, failure, lost }, 'shared state checked');
    }
  };

  /**
   * One check at a time, and never longer than CHECK_DEADLINE_MS: a command held by a connection in
   * limbo (a node being resynced, a half-open socket) must not stop the checks that would notice it.
   */
  const checkNow = (): Promise<void> => {
    if (running) return running;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        verified = false;
        failure = `Redis did not answer the check within ${CHECK_DEADLINE_MS} ms`;
        checkedAt = Date.now();
        resolve();
      }, CHECK_DEADLINE_MS);
    });
    running = Promise.race([check(), deadline]).finally(() => {
      clearTimeout(timer);
      running = undefined;
    });
    return running;
  };

  // A reconnect may lead to another server (a restart, a failover): nothing is sent until it is checked.
  const onReconnect = () => {
    verified = false;
    void checkNow();
  };
  redis.on('ready', onReconnect);
  redis.on('+node', onReconnect);
  let timer: NodeJS.Timeout | undefined;

  return {
    async start() {
      await check();
      if (!seen && lost === undefined) throw new Error(failure ?? 'the state marker could not be read');
      timer = setInterval(() => void checkNow(), options.intervalMs);
      timer.unref();
    },
    refusal() {
      if (lost !== undefined) return stateLost(lost);
      if (full) return stateFull();
      if (!verified || redis.status !== 'ready') return stateUnavailable(undefined, undefined);
      return undefined;
    },
    async readiness() {
      if (Date.now() - checkedAt > 250) await checkNow();
      const reason = lost !== undefined ? `STATE_LOST: ${lost}` : verified ? undefined : (failure ?? 'not checked yet');
      // Causes and times only: a message may name a node's address, and this answer needs no token.
      const last = causes.last();
      const lastError = last && { cause: last.cause, at: last.at };
      const role = nodes.find((node) => node.role !== 'master')?.role ?? nodes[0]?.role;
      return {
        ready: reason === undefined,
        topology: options.topology,
        nodes,
        ...(role !== undefined && { role }),
        ...(reason !== undefined && { reason }),
        ...(seen && { markerCreatedAt: seen.createdAt }),
        ...(lastError && { lastError }),
      };
    },
    close() {
      if (timer) clearInterval(timer);
      redis.off('ready', onReconnect);
      redis.off('+node', onReconnect);
    },
  };
}
