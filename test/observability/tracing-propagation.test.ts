import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { PublishPromotionSmsDocument } from '../../client/index.js';
import { execute } from '../helpers/graphql.js';
import { startOtlpReceiver } from '../helpers/otlp.js';
import { useStack } from '../helpers/stack.js';

// A file of its own: tracing is process-wide.
const receiver = await startOtlpReceiver();
afterAll(() => receiver.stop());

describe('SMN_PROPAGATE_TRACE=true', () => {
  const stack = useStack({
    env: {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      SMN_PROPAGATE_TRACE: 'true',
    },
  });

  it('carries the trace on to SMN as traceparent, from the SMN call span', async () => {
    const traceId = randomBytes(16).toString('hex');
    await execute(
      stack.app.graphqlUrl,
      PublishPromotionSmsDocument,
      { input: { endpoints: ['+8613812345678'], smsTemplateId: 'tpl_traced' } },
      { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
    );
    const headers = await stack.simulator.requestHeaders();
    expect(headers.at(-1)?.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });
});
