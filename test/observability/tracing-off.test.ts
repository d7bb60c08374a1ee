import { randomBytes } from 'node:crypto';
import { ProxyTracerProvider, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';

// A file of its own: tracing is process-wide, and the traced app of tracing.test.ts would be it.
describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  const plain = useStack({});

  it('registers no tracer provider, exporter or span processor; log lines carry no trace ids', async () => {
    expect(plain.app.tracing).toBe(false);
    const provider = trace.getTracerProvider();
    expect(provider).toBeInstanceOf(ProxyTracerProvider);
    // No SDK behind the API's proxy: every span is a no-op that is never processed or exported.
    expect((provider as ProxyTracerProvider).getDelegate().constructor.name).toBe('NoopTracerProvider');
    const line = plain.app.logs.entries().find((entry) => entry.msg === 'tracing');
    expect(String(line?.tracing)).toContain('off');
    const traceparent = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
    const answer = await fetch(plain.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent },
      body: JSON.stringify({ query: '{ promotionSmsLimits { maxEndpoints } }' }),
    });
    expect(answer.status).toBe(200);
    expect(plain.app.logs.entries().some((entry) => 'trace_id' in entry)).toBe(false);
  });
});
