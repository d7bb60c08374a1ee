import type { Logger } from 'pino';
import type { WebhookHandler, WebhookJob, WebhookQueue } from '../webhooks/queue.js';

/** A job that threw (a bug: the handler answers "later" for every failure it knows) waits this long. */
const AFTER_CRASH_MS = 1_000;

/**
 * One process's webhook queue: one lane per order key (endpoint and subject), whose jobs run one after
 * another in the order added; a job waiting for its retry holds its lane. Up to `concurrency` lanes run
 * at once. Nothing survives a restart (memory mode; BullMQ with REDIS_URL).
 */
export function createMemoryWebhookQueue(options: {
  readonly concurrency: number;
  readonly logger: Logger;
}): WebhookQueue {
  const lanes = new Map<string, WebhookJob[]>();
  /** Lanes whose head may run now, in the order they became ready. */
  const ready: string[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let handler: WebhookHandler | undefined;
  let closed = false;

  const retryAt = (key: string, at: number) => {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        ready.push(key);
        pump();
      },
      Math.max(0, at - Date.now()),
    );
    timers.add(timer);
  };

  const run = async (key: string) => {
    const lane = lanes.get(key)!;
    const job = lane[0]!;
    try {
      const verdict = await handler!(job);
      if (verdict.type === 'later') {
        lane[0] = verdict.job;
        if (!closed) retryAt(key, verdict.at);
        return;
      }
    } catch (error) {
      options.logger.error({ err: error, endpointId: job.endpointId }, 'webhook job crashed');
      if (!closed) retryAt(key, Date.now() + AFTER_CRASH_MS);
      return;
    }
    lane.shift();
    if (lane.length === 0) lanes.delete(key);
    else ready.push(key);
  };

  function pump(): void {
    while (handler && !closed && running.size < options.concurrency && ready.length > 0) {
      const key = ready.shift()!;
      const task = run(key).finally(() => {
        running.delete(task);
        pump();
      });
      running.add(task);
    }
  }

  return {
    kind: 'memory',
    add(job) {
      const lane = lanes.get(job.orderKey);
      if (lane) lane.push(job);
      else {
        lanes.set(job.orderKey, [job]);
        ready.push(job.orderKey);
      }
      pump();
      return Promise.resolve();
    },
    work(webhookHandler) {
      handler = webhookHandler;
      pump();
    },
    depth: () => Promise.resolve([...lanes.values()].reduce((sum, lane) => sum + lane.length, 0)),
    async close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all(running);
    },
  };
}
