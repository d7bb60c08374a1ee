import type { Logger } from 'pino';
import type { BatchHandler, BatchJob, BatchQueue } from '../campaigns/batch-queue.js';

/** A job that threw (a bug: handlers answer "later" for every failure they know) waits this long. */
const AFTER_CRASH_MS = 1_000;

/**
 * One process's batch queue: jobs run in the order queued, `concurrency` at a time, delayed ones on
 * timers. Nothing survives a restart (the app warns at start-up without REDIS_URL).
 */
export function createMemoryBatchQueue(options: { readonly concurrency: number; readonly logger: Logger }): BatchQueue {
  const ready: BatchJob[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let handler: BatchHandler | undefined;
  let closed = false;

  const enqueueAt = (job: BatchJob, at: number) => {
    const delay = at - Date.now();
    if (delay <= 0) {
      ready.push(job);
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      ready.push(job);
      pump();
    }, delay);
    timers.add(timer);
  };

  const run = async (job: BatchJob) => {
    try {
      const verdict = await handler!(job);
      if (verdict.type === 'later' && !closed) enqueueAt(verdict.job, verdict.at);
    } catch (error) {
      options.logger.error({ err: error, campaignId: job.campaignId, batch: job.index }, 'campaign batch job crashed');
      if (!closed) enqueueAt(job, Date.now() + AFTER_CRASH_MS);
    }
  };

  function pump(): void {
    while (handler && !closed && running.size < options.concurrency && ready.length > 0) {
      const job = ready.shift()!;
      const task = run(job).finally(() => {
        running.delete(task);
        pump();
      });
      running.add(task);
    }
  }

  return {
    kind: 'memory',
    add(jobs, at) {
      for (const job of jobs) enqueueAt(job, at);
      pump();
      return Promise.resolve();
    },
    work(batchHandler) {
      handler = batchHandler;
      pump();
    },
    depth: () => Promise.resolve(ready.length + timers.size + running.size),
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(running);
    },
  };
}
