import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PublishPromotionSmsDocument, SmsCatalogDocument } from '../../client/index.js';
import { execute } from '../helpers/graphql.js';
import { startEventsApp } from '../helpers/events.js';
import type { TestApp } from '../helpers/app.js';
import { addRecipients, campaignReaches, createCampaign, numbers, startCampaign } from '../helpers/campaigns.js';
import { mint } from '../helpers/jwks.js';
import { startOtlpReceiver, type ReceivedSpan } from '../helpers/otlp.js';
import { useStack } from '../helpers/stack.js';
import { national, SIMULATOR_IDS, SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';

const receiver = await startOtlpReceiver();
const stack = useStack({
  auth: true,
  app: false,
  simulatorEnv: { SIMULATOR_REPORT_DELAY_MS: '100' },
  env: {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '50',
    OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=test',
    QUOTA_RECIPIENTS_PER_MINUTE: '0',
  },
});
// One traced app for the file (tracing is process-wide), taking SMN's signed events too.
let app: TestApp;
beforeAll(async () => {
  app = await startEventsApp(stack);
});
afterAll(async () => {
  await app?.close();
  await receiver.stop();
});

const ERROR = 2;
/** How long and how often to look for spans the exporter has yet to send. */
const UNTIL_EXPORTED = { timeout: 8_000, interval: 100 };

/** A router's span: the trace this request continues. */
function routerContext() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

async function traceOf(traceId: string, last: string): Promise<ReceivedSpan[]> {
  return vi.waitFor(() => {
    const spans = receiver.spans.filter((span) => span.traceId === traceId);
    expect(spans.map((span) => span.name)).toContain(last);
    return spans;
  }, UNTIL_EXPORTED);
}

function byName(spans: ReceivedSpan[], name: string): ReceivedSpan {
  const span = spans.find((candidate) => candidate.name === name);
  if (!span) throw new Error(`no span ${name} among ${spans.map((s) => s.name).join(', ')}`);
  return span;
}

describe('OpenTelemetry traces (OTLP/HTTP JSON to an in-process receiver)', () => {
  it("continues the router's trace: one send as a tree of named spans, SMN's request id, no numbers", async () => {
    expect(app.tracing).toBe(true);
    const router = routerContext();
    const token = await mint(stack.key, { scope: 'sms:promotion:send sms:read', claims: { tenant_id: 'traced' } });
    const sent = await execute(
      app.graphqlUrl,
      PublishPromotionSmsDocument,
      {
        input: {
          endpoints: [SIMULATOR_NUMBERS.delivered, SIMULATOR_NUMBERS.noSuchNumber, SIMULATOR_NUMBERS.delivered],
          smsTemplateId: 'tpl_traced',
          idempotencyKey: `trace-${router.traceId}`,
        },
      },
      { authorization: `Bearer ${token}`, traceparent: router.traceparent },
    );
    expect(sent.data?.publishPromotionSms.sentCount).toBe(1);
    const spans = await traceOf(router.traceId, 'POST /graphql');

    const server = byName(spans, 'POST /graphql');
    expect(server.parentSpanId).toBe(router.spanId);
    expect(server.kind).toBe(2); // SERVER
    expect(server.attributes['http.response.status_code']).toBe(200);
    const operation = byName(spans, 'graphql.operation');
    expect(operation.parentSpanId).toBe(server.spanId);
    expect(operation.attributes).toMatchObject({
      'graphql.operation.type': 'mutation',
      'graphql.operation.name': 'PublishPromotionSms',
      'smn_gateway.root_field': 'publishPromotionSms',
      'smn_gateway.recipients': 2,
      'smn_gateway.duplicates_removed': 1,
      'smn_gateway.sent': 1,
      'smn_gateway.failed': 1,
    });
    for (const name of [
      'authenticate',
      'graphql.validate',
      'idempotency.claim',
      'policy.opt_outs',
      'policy.quota',
      'smn.queue_wait',
      'smn.PromotionSmsPublish',
      'send_log.record',
    ]) {
      expect(byName(spans, name).parentSpanId, name).toBe(operation.spanId);
    }
    const smn = byName(spans, 'smn.PromotionSmsPublish');
    expect(smn.kind).toBe(3); // CLIENT
    const simulator = new URL(stack.simulator.url);
    expect(smn.attributes).toMatchObject({
      'http.request.method': 'POST',
      'http.response.status_code': 200,
      // OpenTelemetry's HTTP client attributes: the URL called, its host and its port (a number).
      'url.full': `${simulator.origin}/v2/${stack.simulator.projectId}/notifications/sms/promotion`,
      'server.address': simulator.hostname,
      'server.port': Number(simulator.port),
      'smn.request_id': sent.data?.publishPromotionSms.requestId,
      'smn_gateway.attempts': 1,
    });

    const everything = JSON.stringify(spans.map((span) => span.raw));
    expect(everything).not.toContain(national(SIMULATOR_NUMBERS.delivered));
    expect(everything).not.toContain(national(SIMULATOR_NUMBERS.noSuchNumber));
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(stack.simulator.sk);

    // Log lines of the request carry the trace id.
    const logged = app.logs.entries().filter((entry) => entry.trace_id === router.traceId);
    expect(logged.map((entry) => entry.msg)).toEqual(
      expect.arrayContaining(['SMN answered', 'promotion SMS batch published', 'GraphQL operation']),
    );
  });

  it('a send SMN rejects marks the SMN span and the operation failed with the code', async () => {
    const router = routerContext();
    const token = await mint(stack.key, { scope: 'sms:promotion:send', claims: { tenant_id: 'traced' } });
    const refused = await execute(
      app.graphqlUrl,
      PublishPromotionSmsDocument,
      { input: { endpoints: [SIMULATOR_NUMBERS.delivered], smsTemplateId: SIMULATOR_IDS.templateMissing } },
      { authorization: `Bearer ${token}`, traceparent: router.traceparent },
    );
    expect(refused.errors?.[0]?.extensions?.code).toBe('SMN_REJECTED');
    const spans = await traceOf(router.traceId, 'POST /graphql');
    const smn = byName(spans, 'smn.PromotionSmsPublish');
    expect(smn.status.code).toBe(ERROR);
    expect(smn.attributes).toMatchObject({
      'smn_gateway.error_code': 'SMN_REJECTED',
      'smn.code': 'SMN.0162',
      'smn_gateway.delivery': 'NOT_SENT',
      'http.response.status_code': 404,
    });
    const operation = byName(spans, 'graphql.operation');
    expect(operation.status.code).toBe(ERROR);
    expect(operation.attributes['smn_gateway.error_code']).toBe('SMN_REJECTED');
    expect(byName(spans, 'POST /graphql').status.code).not.toBe(ERROR);
  });

  it('catalog reads are CLIENT spans with url.full (query values redacted), server.address and server.port', async () => {
    const router = routerContext();
    const token = await mint(stack.key, { scope: 'sms:read', claims: { tenant_id: 'traced' } });
    const name = `secret-filter-${router.traceId.slice(0, 8)}`;
    const read = await execute(
      app.graphqlUrl,
      SmsCatalogDocument,
      { first: 5, name },
      { authorization: `Bearer ${token}`, traceparent: router.traceparent },
    );
    expect(read.errors).toBeUndefined();
    const spans = await traceOf(router.traceId, 'POST /graphql');
    const operation = byName(spans, 'graphql.operation');
    const simulator = new URL(stack.simulator.url);
    const base = `${simulator.origin}/v2/${stack.simulator.projectId}/notifications`;
    const templates = byName(spans, 'smn.sms_template.list');
    expect(templates.kind).toBe(3); // CLIENT
    expect(templates.parentSpanId).toBe(operation.spanId);
    expect(templates.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.response.status_code': 200,
      'url.full': `${base}/sms_template?offset=REDACTED&limit=REDACTED&sms_template_name=REDACTED`,
      'server.address': simulator.hostname,
      'server.port': Number(simulator.port),
    });
    const signs = byName(spans, 'smn.sms_sign.list');
    expect(signs.attributes).toMatchObject({ 'url.full': `${base}/sms_sign`, 'server.port': Number(simulator.port) });
    // Through the outbound gate, like a send.
    expect(byName(spans, 'smn.queue_wait').parentSpanId).toBe(operation.spanId);
    expect(JSON.stringify(spans.map((span) => span.raw))).not.toContain(name);
  });

  it('without a traceparent a new trace starts', async () => {
    const before = receiver.spans.length;
    const token = await mint(stack.key, { scope: 'sms:read' });
    await fetch(app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ promotionSmsLimits { maxEndpoints } }' }),
    });
    const server = await vi.waitFor(() => {
      const found = receiver.spans.slice(before).find((span) => span.name === 'POST /graphql');
      expect(found).toBeDefined();
      return found!;
    }, UNTIL_EXPORTED);
    expect(server.parentSpanId).toBe('');
  });

  it("SMN's signed events are traced; each campaign batch is a trace of its own, linked to the start", async () => {
    const router = routerContext();
    const token = await mint(stack.key, {
      scope: 'sms:promotion:send sms:read',
      claims: { tenant_id: 'traced' },
    });
    const headers = { authorization: `Bearer ${token}` };
    const campaign = await createCampaign(app.graphqlUrl, {}, headers);
    await addRecipients(app.graphqlUrl, campaign.id, numbers(1500), headers);
    await startCampaign(app.graphqlUrl, campaign.id, { ...headers, traceparent: router.traceparent });
    await campaignReaches(app.graphqlUrl, campaign.id, 'COMPLETED', 15_000, headers);
    const started = await traceOf(router.traceId, 'POST /graphql');
    const startOperation = byName(started, 'graphql.operation');
    const batches = await vi.waitFor(() => {
      const found = receiver.spans.filter(
        (span) => span.name === 'campaign.batch' && span.attributes['smn_gateway.campaign_id'] === campaign.id,
      );
      expect(found).toHaveLength(2);
      return found;
    }, UNTIL_EXPORTED);
    for (const batch of batches) {
      expect(batch.traceId).not.toBe(router.traceId);
      expect(batch.parentSpanId).toBe('');
      expect(batch.links).toEqual([{ traceId: router.traceId, spanId: startOperation.spanId }]);
      const inBatch = await traceOf(batch.traceId, 'smn.PromotionSmsPublish');
      expect(byName(inBatch, 'smn.PromotionSmsPublish').attributes['smn.request_id']).toBeTruthy();
    }
    const event = await vi.waitFor(() => {
      const found = receiver.spans.find(
        (span) => span.name === 'smn_events.handle' && span.attributes['smn_gateway.outcome'] === 'report_updated',
      );
      expect(found).toBeDefined();
      return found!;
    }, UNTIL_EXPORTED);
    expect(event.kind).toBe(2);
    expect(JSON.stringify(event.raw)).not.toContain('138000');
  });

  it('SMN gets no traceparent by default (a third party)', async () => {
    await stack.simulator.reset();
    const token = await mint(stack.key, { scope: 'sms:promotion:send', claims: { tenant_id: 'traced' } });
    const router = routerContext();
    await execute(
      app.graphqlUrl,
      PublishPromotionSmsDocument,
      { input: { endpoints: [SIMULATOR_NUMBERS.delivered], smsTemplateId: 'tpl_traced' } },
      { authorization: `Bearer ${token}`, traceparent: router.traceparent },
    );
    const headers = await stack.simulator.requestHeaders();
    expect(headers.at(-1)?.traceparent).toBeUndefined();
  });
});
