import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Envelope } from '../smn/events/envelope.js';
import type { FromWorker, PostedEvent, ReportRetry, ToWorker, WorkerSetup } from './report-protocol.js';

/** SMN's delivery behaviour (docs/simulator.md): 5 s to answer, 6 more tries, then the message is dropped. */
export const SMN_REPORT_RETRY: ReportRetry = {
  retries: 6,
  firstDelayMs: 1_000,
  timeoutMs: 5_000,
  concurrency: 4,
  maxPending: 20_000,
};

/**
 * The worker's file: `report-worker.js` beside this one when built (dist/); from src/ (tsx in
 * development and tests) the TypeScript file, loaded through tsx's loader inside the worker.
 */
function startWorker(setup: WorkerSetup): Worker {
  const compiled = new URL('./report-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, { workerData: setup });
  const source = new URL('./report-worker.ts', import.meta.url).href;
  return new Worker(
    `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(source)}); })`,
    { eval: true, workerData: setup },
  );
}

/**
 * The main thread's side of the report worker (`report-worker.ts`): hands it reports to sign, post and
 * retry, and single envelopes to post once; collects what was posted. Started on first use, started
 * again if it died; `close()` stops it (pending posts and retries end with it).
 */
export function createReportPoster(options: {
  readonly privateKeyPem: string;
  readonly retry: ReportRetry;
  /** Every finished post, in the order the worker finished them. */
  readonly onPosted: (event: PostedEvent) => void;
}) {
  let worker: Worker | undefined;
  let nextId = 0;
  const answers = new Map<number, (event: PostedEvent) => void>();

  const running = (): Worker => {
    if (worker) return worker;
    const started = startWorker({ privateKeyPem: options.privateKeyPem, retry: options.retry });
    started.unref(); // the simulator's server keeps its process alive, not this
    started.on('message', (message: FromWorker) => {
      if (message.kind === 'posted') {
        for (const event of message.events) options.onPosted(event);
        return;
      }
      options.onPosted(message.event);
      answers.get(message.id)?.(message.event);
      answers.delete(message.id);
    });
    const gone = () => {
      if (worker !== started) return;
      worker = undefined;
      for (const answer of answers.values()) answer({ envelope: {} as Envelope, status: 'error', attempts: 0 });
      answers.clear();
    };
    started.on('error', gone);
    started.on('exit', gone);
    worker = started;
    return started;
  };
  const send = (message: ToWorker) => running().postMessage(message);

  return {
    /** Posts one envelope now (signed first unless `sign` is false), once; resolves with how it went. */
    postOne(endpoint: string, envelope: Envelope, sign = true): Promise<PostedEvent> {
      const id = (nextId += 1);
      const answered = new Promise<PostedEvent>((resolve) => answers.set(id, resolve));
      send({ kind: 'one', id, endpoint, envelope, sign });
      return answered;
    },
    /** Delivery reports (each event's JSON) to sign and post to `endpoint`, retried as SMN does. */
    postReports(endpoint: string, topicUrn: string, certificateUrl: string, messages: readonly string[]) {
      if (messages.length > 0) send({ kind: 'reports', endpoint, topicUrn, certificateUrl, messages });
    },
    /** Whether a worker thread runs now. */
    get running() {
      return worker !== undefined;
    },
    async close(): Promise<void> {
      const stopping = worker;
      worker = undefined;
      for (const answer of answers.values()) answer({ envelope: {} as Envelope, status: 'error', attempts: 0 });
      answers.clear();
      await stopping?.terminate();
    },
  };
}

export type ReportPoster = ReturnType<typeof createReportPoster>;
