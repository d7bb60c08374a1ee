import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PromotionSmsRequestDocument } from '../../client/generated.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.js';
import type { ReportRetry } from '../../src/simulator/report-protocol.js';
import { closeServer, listen } from '../../src/util/listen.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { withApp } from '../helpers/stack.js';

/**
 * The simulator signs and posts its reports in a worker thread (src/simulator/report-worker.ts) and
 * retries as SMN does. The receiver here is a proxy in front of a real app's /smn/events that fails on
 * command (500, or no answer at all), so every retried report is verified and applied by the service.
 */

type Behaviour = 'fail' | 'hang' | 'endless' | 'forward';
const plan: Behaviour[] = [];
const seen: string[] = [];
const hanging = new Set<ServerResponse>();
let target = '';
const proxy = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString();
    seen.push((JSON.parse(body) as { message_id: string }).message_id);
    const behaviour = plan.shift() ?? 'forward';
    if (behaviour === 'fail') return void res.writeHead(500).end();
    if (behaviour === 'hang') return void hanging.add(res);
    if (behaviour === 'endless') {
      // 200, then a body that never ends: the status is the answer, the body is never read.
      res.writeHead(200, { 'content-type': 'application/json' });
      const drip = setInterval(() => res.write(' '.repeat(64 * 1024)), 5);
      res.on('close', () => clearInterval(drip));
      return void hanging.add(res);
    }
    void fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then(
      async (answer) => res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text()),
      () => res.writeHead(502).end(),
    );
  });
});

const started: Array<{ close(): Promise<void> }> = [];
/** A simulator in this process (its worker a thread of this process), and an app pinned to it. */
async function world(retry: Partial<ReportRetry>) {
  const sk = randomBytes(24).toString('base64url');
  const sim = await startSimulator({
    projectId: 'worker-test',
    credentials: { ak: 'WORKERTEST', sk },
    reportDelayMs: 20,
    reportRetry: { firstDelayMs: 50, timeoutMs: 400, ...retry },
  });
  started.push(sim);
  const app = await startApp({
    AUTH_DISABLED: 'true',
    SEND_WINDOW: 'off',
    SMN_ENDPOINT: sim.url,
    SMN_PROJECT_ID: 'worker-test',
    HUAWEICLOUD_SDK_AK: 'WORKERTEST',
    HUAWEICLOUD_SDK_SK: sk,
    SMN_EVENTS: 'callback',
    SMN_EVENTS_CERT: sim.certificatePem,
  });
  started.unshift(app);
  target = `${app.url}/smn/events`;
  await sim.events.subscribe(proxyUrl);
  return { sim, app };
}

let proxyUrl = '';
beforeAll(async () => {
  proxyUrl = `${await listen(proxy, 0, '127.0.0.1')}/smn/events`;
});
afterEach(async () => {
  plan.length = 0;
  seen.length = 0;
  for (const res of hanging) res.destroy();
  hanging.clear();
  for (const running of started.splice(0)) await running.close();
});
afterAll(() => closeServer(proxy));

/** The last delivery report the simulator finished posting (not the subscription confirmation). */
const lastReport = (sim: RunningSimulator) =>
  sim.events.posted.filter((event) => event.envelope.type === 'Notification').at(-1);

const request = (app: TestApp, requestId: string) =>
  execute(app.graphqlUrl, PromotionSmsRequestDocument, { requestId }).then((r) => r.data?.promotionSmsRequest);

describe('the simulator posts reports from a worker thread, retried as SMN does', () => {
  it('a report answered 500 twice, then not answered in time, is posted again and finally applied', async () => {
    const { sim, app } = await world({ timeoutMs: 1_500 });
    plan.push('fail', 'fail', 'hang');
    seen.length = 0;
    const sent = await publish(app, promotionInput({ endpoints: ['+8613812345678'] }));
    const requestId = sent.data!.publishPromotionSms.requestId;
    await vi.waitFor(async () => expect((await request(app, requestId))?.delivered).toBe(1), {
      timeout: 10_000,
      interval: 100,
    });
    // At least four posts of one signed envelope (the same SMN message id each time), the last one
    // applied (a fifth only if the service itself was slower than the timeout on this shared machine).
    await vi.waitFor(() => expect(lastReport(sim)).toMatchObject({ status: 200 }));
    expect(lastReport(sim)!.attempts).toBeGreaterThanOrEqual(4);
    expect(seen).toHaveLength(lastReport(sim)!.attempts);
    expect(new Set(seen).size).toBe(1);
  });

  it('a receiver that never recovers: 1 + retries posts, then the report is dropped and listed as failed', async () => {
    const { sim, app } = await world({ retries: 2 });
    plan.push('fail', 'fail', 'fail', 'fail');
    seen.length = 0;
    await publish(app, promotionInput({ endpoints: ['+8613812345678'] }));
    await vi.waitFor(() => expect(lastReport(sim)).toMatchObject({ status: 500, attempts: 3 }), {
      timeout: 5_000,
    });
    expect(seen).toHaveLength(3);
  });

  it('a receiver that hangs cannot make the simulator hold reports without bound: past maxPending, dropped', async () => {
    const { sim, app } = await world({ maxPending: 2, concurrency: 1, timeoutMs: 5_000 });
    plan.push('hang', 'hang', 'hang', 'hang', 'hang');
    seen.length = 0;
    const endpoints = ['+8613812340101', '+8613812340102', '+8613812340103', '+8613812340104', '+8613812340105'];
    await publish(app, promotionInput({ endpoints }));
    await vi.waitFor(() => expect(sim.events.posted.filter((event) => event.status === 'dropped')).toHaveLength(3), {
      timeout: 5_000,
    });
    expect(seen.length).toBeLessThanOrEqual(1); // one in flight at a time, still hanging
  });

  it('a receiver answering 200 with an endless body: counted as answered, the body never read, no retry', async () => {
    const { sim, app } = await world({});
    plan.push('endless');
    seen.length = 0;
    await publish(app, promotionInput({ endpoints: ['+8613812345678'] }));
    await vi.waitFor(() => expect(lastReport(sim)).toMatchObject({ status: 200, attempts: 1 }), {
      timeout: 5_000,
    });
    expect(seen).toHaveLength(1);
  });

  it('a 1000-number send through the embedded simulator: every report applied, every post answered 200', async () => {
    const endpoints = Array.from({ length: 1000 }, (_, index) => `+861380000${1000 + index}`);
    await withApp({ QUOTA_RECIPIENTS_PER_MINUTE: '0', QUOTA_RECIPIENTS_PER_DAY: '0' }, async (app) => {
      const sent = await publish(app, promotionInput({ endpoints }));
      expect(sent.data?.publishPromotionSms.sentCount).toBe(1000);
      const requestId = sent.data!.publishPromotionSms.requestId;
      await vi.waitFor(async () => expect((await request(app, requestId))?.delivered).toBe(1000), {
        timeout: 30_000,
        interval: 250,
      });
      const reports = () => app.simulator!.events.posted.filter((event) => event.envelope.type === 'Notification');
      await vi.waitFor(() => expect(reports()).toHaveLength(1000));
      expect(app.simulator!.events.posted.every((event) => event.status === 200)).toBe(true);
    });
  }, 60_000);

  it('the worker thread is stopped when the app closes', async () => {
    const app = await startApp({});
    try {
      await publish(app, promotionInput());
      expect(app.simulator!.events.workerRunning).toBe(true);
    } finally {
      await app.close();
    }
    expect(app.simulator!.events.workerRunning).toBe(false);
  });
});
