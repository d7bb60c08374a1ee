/** One delivery of one event to one endpoint: what a webhook queue carries. */
export interface WebhookJob {
  /** The delivery's id (`webhook-id`), also the job's id. */
  readonly deliveryId: string;
  readonly endpointId: string;
  readonly tenant: string;
  /** Endpoint and subject: jobs of one key run one after another, in the order they were added. */
  readonly orderKey: string;
  /** The JSON body, fixed when the event happened (every attempt sends the same bytes). */
  readonly body: string;
  /** When the event was queued (ms): retries stop once the retry window after it has passed. */
  readonly createdAt: number;
  /** Attempts made so far. */
  readonly attempt: number;
}

/** What became of a job: finished with (delivered, or given up), or to be tried again at `at` (ms). */
export type WebhookVerdict =
  { readonly type: 'done' } | { readonly type: 'later'; readonly at: number; readonly job: WebhookJob };

export type WebhookHandler = (job: WebhookJob) => Promise<WebhookVerdict>;

/**
 * Where deliveries wait: BullMQ on Redis (durable, shared by replicas), or in process. A job waiting
 * for a retry holds its key: later jobs of the same endpoint and subject wait behind it.
 */
export interface WebhookQueue {
  readonly kind: 'bullmq' | 'memory';
  add(job: WebhookJob): Promise<void>;
  work(handler: WebhookHandler): void;
  /** Jobs waiting, delayed or running. */
  depth(): Promise<number>;
  close(): Promise<void>;
}
