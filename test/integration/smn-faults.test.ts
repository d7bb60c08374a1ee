import { beforeEach, describe, expect, it, vi } from 'vitest';
import { startSimulator } from '../../src/simulator/server.js';
import { PublishPromotionSmsDocument } from '../../client/generated.js';
import { startApp, type TestApp } from '../helpers/app.js';
import { freePort } from '../helpers/ports.js';
import { useStack } from '../helpers/stack.js';
import { promotionInput } from '../helpers/inputs.js';
import { SIMULATOR_IDS } from '../../src/simulator/numbers.js';
import { execute } from '../helpers/graphql.js';
import { startUnacceptingListener } from '../helpers/unaccepting-listener.js';

const stack = useStack({ env: { SMN_TIMEOUT_MS: '800', SMN_CONNECT_TIMEOUT_MS: '300' } });

const INPUT = promotionInput({ endpoints: ['+14155550100', '+14155550101'] });

interface SmnFailure {
  message: string;
  code: string;
  delivery: string;
  smn: { httpStatus?: number; code?: string; message: string; requestId?: string };
  retryAfterSeconds?: number;
}

async function failure(target: TestApp = stack.app): Promise<SmnFailure> {
  const result = await execute(target.graphqlUrl, PublishPromotionSmsDocument, { input: INPUT });
  expect(result.data).toBeNull();
  expect(result.errors).toHaveLength(1);
  const error = result.errors![0]!;
  return { message: error.message, ...(error.extensions as Omit<SmnFailure, 'message'>) };
}

/**
 * The retries `target` logged from log line `from` on. The client retries within the call, telling the
 * log before each: once the caller has its answer, none logged means none was made, nor will be.
 */
function retriesLogged(target: TestApp, from: number): Array<Record<string, unknown>> {
  return target.logs
    .entries()
    .slice(from)
    .filter((entry) => entry.retryCount !== undefined);
}

beforeEach(() => stack.simulator.reset());

describe('SMN refusals (4xx): SMN_REJECTED, delivery NOT_SENT', () => {
  it('maps an SMN error body (template not found, 404 SMN.0162)', async () => {
    const result = await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, {
      input: { ...INPUT, smsTemplateId: SIMULATOR_IDS.templateMissing },
    });
    const error = result.errors![0]!;
    expect(error.extensions).toMatchObject({
      code: 'SMN_REJECTED',
      delivery: 'NOT_SENT',
      smn: { httpStatus: 404, code: 'SMN.0162', message: 'The SMS template does not exist.' },
    });
    expect((error.extensions as unknown as SmnFailure).smn.requestId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('maps an API gateway error body (403 APIG.0302)', async () => {
    await stack.simulator.fault({ kind: 'status', status: 403, code: 'APIG.0302', message: 'Incorrect IAM identity.' });
    expect(await failure()).toMatchObject({
      code: 'SMN_REJECTED',
      delivery: 'NOT_SENT',
      smn: { httpStatus: 403, code: 'APIG.0302', message: 'Incorrect IAM identity.' },
    });
  });

  it('maps a signature failure with a wrong SK (401 APIG.0301) without revealing the SK', async () => {
    await stack.withApp({ HUAWEICLOUD_SDK_SK: 'definitely-not-the-secret-key-42' }, async (wrong) => {
      const result = await failure(wrong);
      expect(result).toMatchObject({
        code: 'SMN_REJECTED',
        delivery: 'NOT_SENT',
        smn: { httpStatus: 401, code: 'APIG.0301' },
      });
      expect(JSON.stringify(result)).not.toContain('definitely-not-the-secret-key-42');
      expect(wrong.logs.text).not.toContain('definitely-not-the-secret-key-42');
    });
  });

  it('maps insufficient balance (400 SMN0261, no dot)', async () => {
    await stack.simulator.fault({ kind: 'status', status: 400, code: 'SMN0261', message: 'Insufficient balance.' });
    expect(await failure()).toMatchObject({ code: 'SMN_REJECTED', smn: { httpStatus: 400, code: 'SMN0261' } });
  });
});

describe('throttling: SMN_RATE_LIMITED, delivery NOT_SENT', () => {
  it('gives retryAfterSeconds from Retry-After', async () => {
    await stack.simulator.fault({ kind: 'rate-limit', retryAfter: '7' });
    expect(await failure()).toMatchObject({
      code: 'SMN_RATE_LIMITED',
      delivery: 'NOT_SENT',
      retryAfterSeconds: 7,
      smn: { httpStatus: 429, code: 'APIG.0308' },
    });
    expect(await stack.simulator.requests()).toHaveLength(1);
  });

  it.each([
    ['a number of seconds no client can act on', '99999999999999999999'],
    ['an HTTP date years ahead', new Date(Date.now() + 5 * 365 * 86_400_000).toUTCString()],
  ])('clamps Retry-After given as %s to an hour', async (_name, retryAfter) => {
    await stack.simulator.fault({ kind: 'rate-limit', retryAfter });
    expect((await failure()).retryAfterSeconds).toBe(3600);
  });

  it('omits retryAfterSeconds when no Retry-After is given', async () => {
    await stack.simulator.fault({ kind: 'rate-limit' });
    const result = await failure();
    expect(result.code).toBe('SMN_RATE_LIMITED');
    expect(result).not.toHaveProperty('retryAfterSeconds');
  });
});

describe('an oversized answer from SMN', () => {
  it('is cut off at SMN_MAX_RESPONSE_BYTES: SMN_UNAVAILABLE, delivery UNKNOWN, and memory stays put', async () => {
    const before = process.memoryUsage().rss;
    await stack.simulator.fault({ kind: 'huge', bytes: 400 * 1024 * 1024 });
    const result = await failure();
    expect(result).toMatchObject({ code: 'SMN_UNAVAILABLE', delivery: 'UNKNOWN' });
    expect(result.message).toContain('more than 1048576 bytes');
    // Reading 400 MB over loopback takes seconds and grows RSS by far more than this.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    expect(await stack.simulator.requests()).toHaveLength(1);
  });

  it('of the same padding under the cap is read as usual', async () => {
    await stack.simulator.fault({ kind: 'huge', bytes: 200_000 });
    const result = await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, { input: INPUT });
    expect(result.errors).toBeUndefined();
    expect(result.data?.publishPromotionSms.sentCount).toBe(2);
  });
});

describe('SMN failures after the request left: SMN_UNAVAILABLE, delivery UNKNOWN, never resent', () => {
  it.each([
    ['a 500 (SMN.0018)', { kind: 'status', status: 500, code: 'SMN.0018' } as const, 500],
    ['a 503 from the gateway (APIG.0613)', { kind: 'status', status: 503, code: 'APIG.0613' } as const, 503],
    ['a 502 from the gateway (APIG.0201)', { kind: 'status', status: 502, code: 'APIG.0201' } as const, 502],
  ])('%s', async (_name, fault, status) => {
    await stack.simulator.fault(fault);
    const from = stack.app.logs.lines.length;
    expect(await failure()).toMatchObject({
      code: 'SMN_UNAVAILABLE',
      delivery: 'UNKNOWN',
      smn: { httpStatus: status },
    });
    expect(retriesLogged(stack.app, from)).toEqual([]);
    expect(await stack.simulator.requests()).toHaveLength(1);
  });

  it('a 200 whose body is not the documented JSON', async () => {
    await stack.simulator.fault({ kind: 'garbage' });
    expect(await failure()).toMatchObject({ code: 'SMN_UNAVAILABLE', delivery: 'UNKNOWN', smn: { httpStatus: 200 } });
    expect(await stack.simulator.requests()).toHaveLength(1);
  });

  it('a connection reset after the request was written is sent exactly once', async () => {
    await stack.simulator.fault({ kind: 'reset' });
    const from = stack.app.logs.lines.length;
    expect(await failure()).toMatchObject({ code: 'SMN_UNAVAILABLE', delivery: 'UNKNOWN' });
    expect(retriesLogged(stack.app, from)).toEqual([]);
    expect(await stack.simulator.requests()).toHaveLength(1);
  });

  it('a timed-out POST was sent exactly once', async () => {
    await stack.simulator.fault({ kind: 'hang' });
    const from = stack.app.logs.lines.length;
    const started = Date.now();
    const result = await failure();
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
    expect(result).toMatchObject({ code: 'SMN_UNAVAILABLE', delivery: 'UNKNOWN' });
    expect(result.message).toMatch(/may have been delivered/);
    expect(retriesLogged(stack.app, from)).toEqual([]);
    expect(await stack.simulator.requests()).toHaveLength(1);
  });

  it('a slow answer within the timeout succeeds', async () => {
    await stack.simulator.fault({ kind: 'latency', latencyMs: 300 });
    const result = await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, { input: INPUT });
    expect(result.data?.publishPromotionSms.sentCount).toBe(2);
  });
});

describe('SMN unreachable before anything left: SMN_UNAVAILABLE, delivery NOT_SENT, retried', () => {
  it('connection refused: retried, then NOT_SENT', async () => {
    const port = await freePort();
    await stack.withApp({ SMN_ENDPOINT: `http://127.0.0.1:${port}` }, async (refused) => {
      expect(await failure(refused)).toMatchObject({ code: 'SMN_UNAVAILABLE', delivery: 'NOT_SENT' });
      const retries = refused.logs.entries().filter((e) => e.cause === 'ECONNREFUSED' && e.retryCount !== undefined);
      expect(retries).toHaveLength(2);
    });
  });

  it('a name that does not resolve: NOT_SENT', async () => {
    await stack.withApp({ SMN_ENDPOINT: 'http://smn.does-not-exist.invalid' }, async (unresolvable) => {
      expect(await failure(unresolvable)).toMatchObject({ code: 'SMN_UNAVAILABLE', delivery: 'NOT_SENT' });
    });
  });

  it('a connect timeout: NOT_SENT, after SMN_CONNECT_TIMEOUT_MS per attempt', async () => {
    const listener = await startUnacceptingListener();
    const stuck = await startApp(
      stack.env({
        SMN_ENDPOINT: `http://127.0.0.1:${listener.port}`,
        SMN_CONNECT_TIMEOUT_MS: '200',
        SMN_TIMEOUT_MS: '5000',
      }),
    );
    try {
      const started = Date.now();
      expect(await failure(stuck)).toMatchObject({ code: 'SMN_UNAVAILABLE', delivery: 'NOT_SENT' });
      expect(Date.now() - started).toBeLessThan(3000);
      expect(stuck.logs.entries().filter((e) => e.retryCount !== undefined)).toHaveLength(2);
    } finally {
      await stuck.close();
      listener.close();
    }
  });

  it('a refused first attempt is retried, signed afresh, and delivered once when SMN comes back', async () => {
    const port = await freePort();
    // Slow retries (1 s, then 2 s) so SMN can come back between attempts whatever the load (the
    // simulator makes its signing keys at start, which takes a while on a busy machine).
    const late = await startApp(stack.env({ SMN_ENDPOINT: `http://127.0.0.1:${port}` }), {
      retryDelayMs: 1_000,
    });
    const credentials = { ak: stack.simulator.ak, sk: stack.simulator.sk };
    let local: Awaited<ReturnType<typeof startSimulator>> | undefined;
    try {
      const pending = execute(late.graphqlUrl, PublishPromotionSmsDocument, { input: INPUT });
      // The first attempt was refused and the 1 s wait before the retry has begun.
      await vi.waitFor(
        () =>
          expect(retriesLogged(late, 0)).toContainEqual(
            expect.objectContaining({ cause: 'ECONNREFUSED', retryCount: 1 }),
          ),
        { timeout: 5_000, interval: 5 },
      );
      local = await startSimulator({ port, projectId: stack.simulator.projectId, credentials });
      const result = await pending;
      expect(result.errors).toBeUndefined();
      expect(result.data?.publishPromotionSms.sentCount).toBe(2);
      expect(local.received).toHaveLength(1);
      expect(late.logs.entries().some((e) => e.cause === 'ECONNREFUSED' && e.retryCount === 1)).toBe(true);
    } finally {
      await late.close();
      await local?.close();
    }
  });
});
