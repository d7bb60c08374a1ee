import { describe, expect, it } from 'vitest';
import { PublishPromotionSmsDocument } from '../../client/generated.js';
import { envFor } from '../helpers/app.js';
import { useStack, withApp } from '../helpers/stack.js';
import { promotionInput } from '../helpers/inputs.js';
import { execute } from '../helpers/graphql.js';
import { mint } from '../helpers/jwks.js';
import { addRecipients, campaignReaches, createCampaign, numbers, startCampaign } from '../helpers/campaigns.js';
import { national, SIMULATOR_ENDINGS, SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';

const stack = useStack({ auth: true });

const NUMBERS = [SIMULATOR_NUMBERS.delivered, SIMULATOR_NUMBERS.noSuchNumber, SIMULATOR_NUMBERS.delivered];

async function metricsText(url = stack.app.metricsUrl): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return response.text();
}

function sample(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

/** The sum of every series of `metric` whose labels include all of `labels` (`source="campaign"`, …). */
function total(text: string, metric: string, ...labels: string[]): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${metric}{`) && labels.every((label) => line.includes(label)))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('logs: one line per GraphQL operation', () => {
  it('carries request id, caller, operation, recipients, counts, SMN request id and latency, outcome', async () => {
    const headers = {
      authorization: `Bearer ${await mint(stack.key, { subject: 'ops-user', scope: 'sms:promotion:send' })}`,
      'x-request-id': 'ops-line-1',
    };
    const result = await execute(
      stack.app.graphqlUrl,
      PublishPromotionSmsDocument,
      { input: promotionInput({ endpoints: NUMBERS }) },
      headers,
    );
    expect(result.headers.get('x-request-id')).toBe('ops-line-1');
    const lines = stack.app.logs
      .entries()
      .filter((entry) => entry.msg === 'GraphQL operation' && entry.requestId === 'ops-line-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      requestId: 'ops-line-1',
      caller: { sub: 'ops-user' },
      operation: 'publishPromotionSms',
      operationName: 'PublishPromotionSms',
      outcome: 'ok',
      recipients: 2,
      duplicatesRemoved: 1,
      sentCount: 1,
      failedCount: 1,
      smnRequestId: result.data!.publishPromotionSms.requestId,
      smnStatus: 200,
    });
    expect(lines[0]!.smnLatencyMs).toEqual(expect.any(Number));
    expect(stack.app.logs.text).not.toContain(national(SIMULATOR_NUMBERS.delivered));
  });

  it('generates a request id when none (or an unsafe one) is sent', async () => {
    const result = await execute(
      stack.app.graphqlUrl,
      PublishPromotionSmsDocument,
      { input: { endpoints: NUMBERS, smsTemplateId: 't' } },
      {
        'x-request-id': 'bad id with spaces',
      },
    );
    expect(result.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('metrics', () => {
  it('exposes process metrics and the service counters, with bounded labels only', async () => {
    const sender = { authorization: `Bearer ${await mint(stack.key, { scope: 'sms:promotion:send' })}` };
    const before = await metricsText();
    await execute(
      stack.app.graphqlUrl,
      PublishPromotionSmsDocument,
      { input: { endpoints: NUMBERS, smsTemplateId: 'tpl_secret_name' } },
      sender,
    );
    await execute(
      stack.app.graphqlUrl,
      PublishPromotionSmsDocument,
      { input: promotionInput({ endpoints: ['nope'] }) },
      sender,
    );
    await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, {
      input: promotionInput({ endpoints: NUMBERS }),
    });
    const input = promotionInput({ endpoints: [SIMULATOR_NUMBERS.undelivered], idempotencyKey: 'metrics-1' });
    await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, { input }, sender);
    await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, { input }, sender);
    const after = await metricsText();

    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(after).toMatch(/^process_cpu_user_seconds_total /m);
    expect(after).toMatch(/^nodejs_heap_size_used_bytes /m);
    expect(delta('smn_gateway_graphql_operations_total{operation="publishPromotionSms",outcome="ok"}')).toBe(3);
    expect(
      delta('smn_gateway_graphql_operations_total{operation="publishPromotionSms",outcome="BAD_USER_INPUT"}'),
    ).toBe(1);
    expect(delta('smn_gateway_messages_total{result="sent",code="",source="direct"}')).toBe(2);
    expect(delta('smn_gateway_messages_total{result="failed",code="SMN.0167",source="direct"}')).toBe(1);
    expect(delta('smn_gateway_duplicates_removed_total')).toBe(1);
    expect(delta('smn_gateway_refused_sends_total{reason="validation"}')).toBe(1);
    expect(delta('smn_gateway_refused_sends_total{reason="auth"}')).toBe(1);
    expect(delta('smn_gateway_idempotency_replays_total')).toBe(1);
    expect(delta('smn_gateway_smn_call_duration_seconds_count{status="200",source="direct"}')).toBe(2);
    expect(after).not.toContain(national(SIMULATOR_NUMBERS.delivered));
    expect(after).not.toMatch(/tpl_secret_name|sub=/);
  });

  it('counts every SMN call and message, campaign batches too, by source: what the simulator saw', async () => {
    await stack.withApp({ QUOTA_RECIPIENTS_PER_MINUTE: '0', QUOTA_RECIPIENTS_PER_DAY: '0' }, async (app) => {
      await stack.simulator.reset();
      const token = await mint(stack.key, { scope: 'sms:promotion:send sms:read', claims: { tenant_id: 'metrics' } });
      const headers = { authorization: `Bearer ${token}` };
      // A direct send: one number sent, one SMN fails (numbers ending 0000 do not exist).
      const direct = await execute(
        app.graphqlUrl,
        PublishPromotionSmsDocument,
        { input: promotionInput({ endpoints: NUMBERS }) },
        headers,
      );
      expect(direct.data?.publishPromotionSms).toMatchObject({ sentCount: 1, failedCount: 1 });
      // A campaign of three batches, two of its numbers failed by SMN.
      const { noSuchNumber } = SIMULATOR_ENDINGS;
      const audience = [...numbers(2_498, 700_000), `+861380001${noSuchNumber}`, `+861380002${noSuchNumber}`];
      const campaign = await createCampaign(app.graphqlUrl, {}, headers);
      await addRecipients(app.graphqlUrl, campaign.id, audience, headers);
      await startCampaign(app.graphqlUrl, campaign.id, headers);
      const done = await campaignReaches(app.graphqlUrl, campaign.id, 'COMPLETED', 20_000, headers);
      expect(done).toMatchObject({ sent: 2_498, failed: 2, unknown: 0, batchesDone: 3 });

      const text = await metricsText(app.metricsUrl);
      const requests = (await stack.simulator.requests()) as Array<{ endpoints: string[] }>;
      const calls = (source: string) =>
        total(text, 'smn_gateway_smn_call_duration_seconds_count', `source="${source}"`);
      const messages = (result: string, source: string) =>
        total(text, 'smn_gateway_messages_total', `result="${result}"`, `source="${source}"`);
      // Every call SMN received is counted once, under the source that made it.
      expect(requests).toHaveLength(4);
      expect(calls('direct')).toBe(1);
      expect(calls('campaign')).toBe(3);
      expect(total(text, 'smn_gateway_smn_call_duration_seconds_count')).toBe(requests.length);
      // Every number SMN answered for is counted once, as the campaign counted it.
      expect(messages('sent', 'direct')).toBe(1);
      expect(messages('failed', 'direct')).toBe(1);
      expect(messages('sent', 'campaign')).toBe(done.sent);
      expect(messages('failed', 'campaign')).toBe(done.failed);
      expect(sample(text, 'smn_gateway_messages_total{result="failed",code="SMN.0167",source="campaign"}')).toBe(2);
      expect(total(text, 'smn_gateway_messages_total')).toBe(
        requests.reduce((sum, request) => sum + request.endpoints.length, 0),
      );
    });
  });

  it('can live on a port of its own (METRICS_PORT)', async () => {
    await withApp(envFor(stack.simulator, { METRICS_PORT: '0' }), async (separate) => {
      expect(new URL(separate.metricsUrl).port).not.toBe(new URL(separate.url).port);
      expect(await metricsText(separate.metricsUrl)).toMatch(/smn_gateway_graphql_operations_total/);
      expect((await fetch(`${separate.url}/metrics`)).status).toBe(404);
    });
  });
});

describe('health', () => {
  it('answers /healthz and /readyz without a token, cheaply, revealing nothing, and never calls SMN', async () => {
    await stack.simulator.reset();
    const health = await fetch(`${stack.app.url}/healthz`);
    const ready = await fetch(`${stack.app.url}/readyz`);
    expect([health.status, ready.status]).toEqual([200, 200]);
    expect(await health.json()).toEqual({ status: 'ok' });
    // Without Redis, readiness has only the state's kind to report: no address, key or secret.
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { state: 'up' },
      state: { ready: true, topology: 'memory', nodes: [] },
    });
    expect(await stack.simulator.requests()).toEqual([]);
  });
});
