import type { Queue, Worker } from 'bullmq';
import type { Logger } from 'pino';
import type { RedisClient } from './redis-client.js';
import { settledWithin } from '../util/settled-within.js';
import { closeRedisClient } from './redis-close.js';

/**
 * Once this process runs no job any more, how long BullMQ gets to finish its own bookkeeping (a job
 * moved to completed, the blocking read interrupted) before its connections are dropped.
 */
const SETTLE_MS = 2_000;
/** How long a forced close may take before it is left to itself (BullMQ can wait on a dead socket). */
const FORCE_WITHIN_MS = 1_000;

/** The jobs this process's worker is running, so a close knows when they are done. */
export interface JobsInFlight {
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Resolves once no job runs (at once if none does). */
  idle(): Promise<void>;
  /**
   * From now on a job that ends tells BullMQ nothing: its promise never settles. Once the connections
   * are dropped, BullMQ would retry recording the outcome without pause (its retry skips the delay
   * while closing) and hold the CPU; the job's lock lapses instead and another replica takes it.
   */
  abandon(): void;
}

const NEVER = new Promise<never>(() => undefined);

export function createJobsInFlight(): JobsInFlight {
  let running = 0;
  let abandoned = false;
  const waiters: (() => void)[] = [];
  const finished = () => {
    running -= 1;
    if (running === 0) for (const wake of waiters.splice(0)) wake();
  };
  return {
    async run(job) {
      running += 1;
      let outcome: { ok: true; value: Awaited<ReturnType<typeof job>> } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, value: await job() };
      } catch (error) {
        outcome = { ok: false, error };
      }
      finished();
      if (abandoned) return NEVER;
      if (!outcome.ok) throw outcome.error;
      return outcome.value;
    },
    idle: () => (running === 0 ? Promise.resolve() : new Promise<void>((resolve) => void waiters.push(resolve))),
    abandon() {
      abandoned = true;
    },
  };
}

/** One BullMQ queue as this process holds it: the queue, its worker once it works, their connections. */
export interface BullmqHold<T> {
  readonly queue: Queue<T>;
  readonly queueConnection: RedisClient;
  readonly worker: Worker<T> | undefined;
  readonly workerConnection: RedisClient | undefined;
}

/** Jobs waiting, delayed or running: what the queue-depth gauges show. */
export async function bullmqDepth(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('wait', 'delayed', 'active', 'prioritized', 'paused');
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

/**
 * Closes a queue and its worker within a bound, whatever Redis does. The jobs this process runs get
 * up to `graceMs` to finish; once they have, BullMQ gets SETTLE_MS more. A close that takes longer (a
 * Redis that stopped answering, a Cluster connection wedged after a failover: bullmq#2430, #4656)
 * drops the connections instead: a job still running keeps its lock until it lapses, and is taken
 * again by another replica under the rules its queue already has (a batch's claim, a webhook's
 * at-least-once delivery). When Redis is out of reach at the start nothing is waited for.
 */
export async function closeBullmq<T>(
  hold: BullmqHold<T>,
  options: { readonly graceMs: number; readonly inFlight: JobsInFlight; readonly logger: Logger },
): Promise<void> {
  const connections = [hold.workerConnection, hold.queueConnection].filter((redis) => redis !== undefined);
  const force = async () => {
    options.inFlight.abandon();
    for (const redis of connections) redis.disconnect();
    await settledWithin(Promise.allSettled([hold.worker?.close(true), hold.queue.close()]), FORCE_WITHIN_MS);
  };
  if (hold.queueConnection.status !== 'ready') return force();

  let closed = false;
  const graceful = (async () => {
    await hold.worker?.close();
    await hold.queue.close();
    await Promise.all(connections.map((redis) => closeRedisClient(redis)));
    closed = true;
  })();
  // Waiting ends when the close is done, SETTLE_MS after the last job ended, or at graceMs.
  const doneOrSettled = Promise.race([
    graceful,
    options.inFlight.idle().then(() => settledWithin(graceful, SETTLE_MS)),
  ]);
  await settledWithin(doneOrSettled, options.graceMs);
  if (closed) return;
  options.logger.warn({ graceMs: options.graceMs }, 'the queue did not close in time; its connections were dropped');
  await force();
}
