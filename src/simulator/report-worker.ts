import { createPrivateKey, randomBytes, sign } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { stringToSign, type Envelope } from '../smn/events/envelope.js';
import type { FromWorker, PostedEvent, PostStatus, ToWorker, WorkerSetup } from './report-protocol.js';

/**
 * The simulator's report worker (a worker thread, started by `report-poster.ts`): signs topic messages
 * (SHA256withRSA, about a millisecond each) and posts them off the main thread, so a service running
 * the embedded simulator keeps answering while a 1000-number send's reports go out. Reports are posted
 * `concurrency` at a time and retried as SMN does: an endpoint that does not answer 2xx in time (no
 * answer, 5xx, 429) gets the same signed envelope again after 1, 2, 4, ... seconds, `retries` times,
 * then it is dropped. A 4xx other than 429 is an answer (e.g. a refused signature): not retried.
 */

const setup = workerData as WorkerSetup;
const port = parentPort!;
const privateKey = createPrivateKey(setup.privateKeyPem);
const { retries, firstDelayMs, timeoutMs, concurrency, maxPending } = setup.retry;
const FLUSH_EVERY_MS = 10;

interface Job {
  /** Signed on its first post, so signing a batch is spread between the posts. */
  envelope: Envelope;
  readonly endpoint: string;
  attempts: number;
  dueAt: number;
}

const signed = (envelope: Envelope): Envelope => ({
  ...envelope,
  signature: sign('sha256', Buffer.from(stringToSign(envelope)), privateKey).toString('base64'),
});

async function post(envelope: Envelope, endpoint: string): Promise<number | 'error'> {
  try {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-smn-message-type': envelope.type,
        'x-smn-message-id': envelope.message_id,
        'x-smn-topic-urn': envelope.topic_urn,
      },
      body: JSON.stringify(envelope),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel().catch(() => undefined); // the status is the answer; a body is not read
    return response.status;
  } catch {
    return 'error';
  }
}

const retriable = (status: number | 'error') => status === 'error' || status >= 500 || status === 429;

// Finished posts, sent to the main thread together every few milliseconds (not one message each).
let finished: PostedEvent[] = [];
let flushTimer: NodeJS.Timeout | undefined;
const flush = () => {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = undefined;
  if (finished.length === 0) return;
  port.postMessage({ kind: 'posted', events: finished } satisfies FromWorker);
  finished = [];
};
const record = (envelope: Envelope, status: PostStatus, attempts: number) => {
  finished.push({ envelope, status, attempts });
  flushTimer ??= setTimeout(flush, FLUSH_EVERY_MS);
};

// Jobs ready to post, and per retry number the jobs waiting for it: each list is in due order (one
// delay per retry number), so one timer on the earliest head serves them all.
const ready: Job[] = [];
const waiting: Job[][] = Array.from({ length: retries }, () => []);
let inFlight = 0;
let pending = 0;
let wakeTimer: NodeJS.Timeout | undefined;

function wake() {
  if (wakeTimer) clearTimeout(wakeTimer);
  wakeTimer = undefined;
  const now = Date.now();
  let next = Infinity;
  for (const list of waiting) {
    while (list.length > 0 && list[0]!.dueAt <= now) ready.push(list.shift()!);
    if (list.length > 0) next = Math.min(next, list[0]!.dueAt);
  }
  pump();
  if (next !== Infinity) wakeTimer = setTimeout(wake, next - now);
}

function pump() {
  while (inFlight < concurrency && ready.length > 0) {
    const job = ready.shift()!;
    inFlight += 1;
    if (job.attempts === 0) job.envelope = signed(job.envelope);
    job.attempts += 1;
    void post(job.envelope, job.endpoint).then((status) => {
      inFlight -= 1;
      if (retriable(status) && job.attempts <= retries) {
        job.dueAt = Date.now() + firstDelayMs * 2 ** (job.attempts - 1);
        waiting[job.attempts - 1]!.push(job);
        if (!wakeTimer) wake();
      } else {
        pending -= 1;
        record(job.envelope, status, job.attempts);
      }
      pump();
    });
  }
}

port.on('message', (message: ToWorker) => {
  if (message.kind === 'one') {
    const envelope = message.sign ? signed(message.envelope) : message.envelope;
    void post(envelope, message.endpoint).then((status) => {
      flush(); // what was posted before it is listed before it
      port.postMessage({
        kind: 'answer',
        id: message.id,
        event: { envelope, status, attempts: 1 },
      } satisfies FromWorker);
    });
    return;
  }
  const timestamp = new Date().toISOString();
  for (const text of message.messages) {
    const envelope: Envelope = {
      type: 'Notification',
      message_id: randomBytes(16).toString('hex'),
      topic_urn: message.topicUrn,
      message: text,
      subject: 'SMS status report',
      timestamp,
      signature_version: 'v1',
      signature: '',
      signing_cert_url: message.certificateUrl,
    };
    // Bounded: an endpoint that is down for long cannot make the simulator hold every report since.
    if (pending >= maxPending) {
      record(envelope, 'dropped', 0); // unsigned: never posted
      continue;
    }
    pending += 1;
    ready.push({ envelope, endpoint: message.endpoint, attempts: 0, dueAt: 0 });
  }
  pump();
});
