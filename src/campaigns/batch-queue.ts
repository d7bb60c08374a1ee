/** One batch of one campaign run: what a queue carries. */
export interface BatchJob {
  readonly campaignId: string;
  readonly index: number;
  /** The campaign's run it belongs to: a job of an earlier run (before a resume) is dropped. */
  readonly generation: number;
  /** Attempts used on failures that sent nothing (waiting for the window, quota or pacing uses none). */
  readonly attempt: number;
  /** The trace that started the campaign run: each batch's own trace links to it. */
  readonly link?: { readonly traceId: string; readonly spanId: string } | undefined;
}

/** What became of a job: finished with, or to be run again at `at` (ms) as `job`. */
export type BatchVerdict =
  { readonly type: 'done' } | { readonly type: 'later'; readonly at: number; readonly job: BatchJob };

/** How the queue handed a job over. */
export interface BatchRun {
  /**
   * An earlier run of this job lost its hold on it (its replica died, or stopped renewing the lock for
   * CAMPAIGN_LOCK_MS) and the queue took it back: a send it started is left in flight by no one.
   */
  readonly afterStall: boolean;
}

export type BatchHandler = (job: BatchJob, run?: BatchRun) => Promise<BatchVerdict>;

/**
 * Where a campaign's batches wait to be sent: BullMQ on Redis (every replica's workers share them, a
 * job of a worker that died is run again), or an in-process queue with the same behaviour.
 */
export interface BatchQueue {
  readonly kind: 'bullmq' | 'memory';
  /** Queues the jobs, to run no earlier than `at` (ms). */
  add(jobs: readonly BatchJob[], at: number): Promise<void>;
  /** Starts this replica's workers. */
  work(handler: BatchHandler): void;
  /** Jobs waiting, delayed or running. */
  depth(): Promise<number>;
  /** Stops taking jobs and waits for the ones running (BullMQ: within its lock). */
  close(): Promise<void>;
}
