import pino from 'pino';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSmnClient, type SmnClient } from '../../src/smn/client.js';
import { startSimulator, type RunningSimulator } from '../../src/simulator/server.js';
import { LogCapture } from '../helpers/log-capture.js';
import { freePort } from '../helpers/ports.js';

const credentials = { ak: 'AK-client-test', sk: 'SK-client-test' };
const projectId = 'p-client';
let simulator: RunningSimulator;
let client: SmnClient;
const request = { endpoints: ['+14155550100'], smsTemplateId: 'tpl' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  simulator = await startSimulator({ projectId, credentials });
  client = createSmnClient({
    endpoint: new URL(simulator.url),
    projectId,
    credentials,
    timeoutMs: 5000,
    connectTimeoutMs: 1000,
    logger: pino({ level: 'silent' }),
    idleSocketMs: 300,
  });
});
afterAll(async () => {
  client?.close();
  await simulator?.close();
});

describe('SMN client keep-alive', () => {
  it('knows its longest possible call: every attempt timing out, plus the retry delays', () => {
    // 3 attempts of 5000 ms, and 200 + 400 ms between them (the default retry pacing).
    expect(client.maxCallMs).toBe(15_600);
  });

  it('reuses one socket for back-to-back calls, and closes it once idle', async () => {
    const before = simulator.connections;
    await client.publishPromotion(request);
    await client.publishPromotion(request);
    expect(simulator.connections - before).toBe(1);
    // The client's own 300 ms idle-socket timer is what is tested: wait past it (nothing to await).
    await sleep(600);
    await client.publishPromotion(request);
    expect(simulator.connections - before).toBe(2);
  });

  it('does not cut a request that takes longer than the idle timeout', async () => {
    simulator.faults.push({ kind: 'latency', latencyMs: 700 });
    const response = await client.publishPromotion(request);
    expect(response.result).toHaveLength(1);
  });

  it("takes the send in the gateway's names and writes SMN's snake_case body, optional fields omitted", async () => {
    await client.publishPromotion({
      endpoints: ['+14155550100'],
      smsTemplateId: 'tpl',
      signId: 'sig',
      extendCode: '双11促销',
      extendSrcId: '12345678',
    });
    expect(simulator.received.at(-1)!.body).toEqual({
      endpoints: ['+14155550100'],
      sms_template_id: 'tpl',
      sign_id: 'sig',
      extend_code: '双11促销',
      extend_src_id: '12345678',
    });
    await client.publishPromotion({ endpoints: ['+14155550100'], smsTemplateId: 'tpl', signId: undefined });
    expect(simulator.received.at(-1)!.body).toEqual({ endpoints: ['+14155550100'], sms_template_id: 'tpl' });
  });

  it('sends the signed headers SMN expects', async () => {
    await client.publishPromotion(request, { requestId: 'rid-1' });
    const headers = simulator.received.at(-1)!.headers;
    expect(headers['content-type']).toBe('application/json;charset=UTF-8');
    expect(headers['x-project-id']).toBe(projectId);
    expect(headers['x-sdk-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(headers['x-request-id']).toBe('rid-1');
    expect(headers.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=AK-client-test, SignedHeaders=content-type;host;x-project-id;x-sdk-date, Signature=[0-9a-f]{64}$/,
    );
  });
});

/**
 * Refused connections are what the retry exists for. Node 24.20 made ClientRequest.end()'s callback
 * report the socket's failure, which got 14's own retry turned into a rejection after one attempt
 * (ERR_SOCKET_CLOSED_BEFORE_CONNECTION, sindresorhus/got#2469); these ran green on Node 20 and 24.19
 * and red on 24.20+ before the client ran its attempts itself. CI runs them on both sides of that change.
 */
describe('SMN client against a port nothing listens on', () => {
  let logs: LogCapture;
  let refused: SmnClient;
  beforeEach(async () => {
    logs = new LogCapture();
    refused = createSmnClient({
      endpoint: new URL(`http://127.0.0.1:${await freePort()}`),
      projectId,
      credentials,
      timeoutMs: 2000,
      connectTimeoutMs: 1000,
      logger: pino({ level: 'info' }, logs),
      retry: { limit: 2, baseDelayMs: 10 },
    });
  });
  afterEach(() => refused.close());

  const retries = () => logs.entries().filter((entry) => entry.retryCount !== undefined);

  it('tries a send 1 + limit times, then fails NOT_SENT naming the refusal', async () => {
    await expect(refused.publishPromotion(request)).rejects.toMatchObject({
      delivery: 'NOT_SENT',
      causeCode: 'ECONNREFUSED',
    });
    expect(retries().map(({ cause, retryCount }) => ({ cause, retryCount }))).toEqual([
      { cause: 'ECONNREFUSED', retryCount: 1 },
      { cause: 'ECONNREFUSED', retryCount: 2 },
    ]);
  });

  it('retries a catalog read the same way', async () => {
    await expect(refused.signs()).rejects.toMatchObject({ delivery: 'NOT_SENT' });
    expect(retries().map(({ cause, retryCount }) => ({ cause, retryCount }))).toEqual([
      { cause: 'ECONNREFUSED', retryCount: 1 },
      { cause: 'ECONNREFUSED', retryCount: 2 },
    ]);
  });

  it('retries a report page read once', async () => {
    await expect(refused.reports({ startTime: 0, endTime: 1, offset: 0, limit: 10 })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    expect(retries().map(({ retryCount }) => retryCount)).toEqual([1]);
  });
});
