import { createServer } from 'node:http';
import { closeServer, listen } from '../../src/util/listen.js';

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Record<string, unknown>;
  readonly status: { code?: number; message?: string };
  readonly links: Array<{ traceId: string; spanId: string }>;
  readonly raw: unknown;
}

/** Hex ids; OTLP/JSON writes them as hex, some exporters as base64. */
function hex(id: unknown): string {
  if (typeof id !== 'string' || id === '') return '';
  return /^[0-9a-f]+$/i.test(id) ? id.toLowerCase() : Buffer.from(id, 'base64').toString('hex');
}

function value(v: Record<string, unknown>): unknown {
  return v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.boolValue ?? v.doubleValue));
}

/** An OTLP/HTTP receiver (JSON) on port 0 that keeps every span it is sent, flattened. */
export async function startOtlpReceiver() {
  const spans: ReceivedSpan[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as {
        resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<Record<string, unknown>> }> }>;
      };
      for (const resource of body.resourceSpans ?? []) {
        for (const scope of resource.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            const attributes = Object.fromEntries(
              ((span.attributes as Array<{ key: string; value: Record<string, unknown> }>) ?? []).map((a) => [
                a.key,
                value(a.value),
              ]),
            );
            spans.push({
              traceId: hex(span.traceId),
              spanId: hex(span.spanId),
              parentSpanId: hex(span.parentSpanId),
              name: String(span.name),
              kind: Number(span.kind),
              attributes,
              status: (span.status as ReceivedSpan['status']) ?? {},
              links: ((span.links as Array<Record<string, unknown>>) ?? []).map((link) => ({
                traceId: hex(link.traceId),
                spanId: hex(link.spanId),
              })),
              raw: span,
            });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  const url = await listen(server, 0, '127.0.0.1');
  return { url, spans, stop: () => closeServer(server) };
}
