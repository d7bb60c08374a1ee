import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { PublishPromotionSmsDocument } from '../../client/index.js';
import { execute } from '../helpers/graphql.js';
import { startOtlpReceiver } from '../helpers/otlp.js';
import { useStack } from '../helpers/stack.js';
import { SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';

// A file of its own: tracing is process-wide.
const receiver = await startOtlpReceiver();
afterAll(() => receiver.stop());

describe('shutdown', () => {
  const stack = useStack({
    app: false,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      // Spans would wait ten minutes for their batch: only the shutdown flush sends them.
      OTEL_BSP_SCHEDULE_DELAY: '600000',
    },
  });

  it('flushes pending spans before the process stops', async () => {
    const traceId = randomBytes(16).toString('hex');
    await stack.withApp({}, async (app) => {
      await execute(
        app.graphqlUrl,
        PublishPromotionSmsDocument,
        { input: { endpoints: [SIMULATOR_NUMBERS.delivered], smsTemplateId: 'tpl_traced' } },
        { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
      );
      // An export would come from the SDK's own timer, with nothing to await: give it the chance to.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(receiver.spans.filter((span) => span.traceId === traceId)).toEqual([]);
    });
    const names = receiver.spans.filter((span) => span.traceId === traceId).map((span) => span.name);
    expect(names).toEqual(expect.arrayContaining(['POST /graphql', 'graphql.operation', 'smn.PromotionSmsPublish']));
  });
});
