import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';

/** The tracer every span of this service comes from (a no-op until tracing is started). */
export const tracer = () => trace.getTracer('smn-gateway');

/** Attribute names of our own; everything else follows OpenTelemetry's semantic conventions. */
export const ATTR = {
  errorCode: 'smn_gateway.error_code',
  recipients: 'smn_gateway.recipients',
  duplicatesRemoved: 'smn_gateway.duplicates_removed',
  sent: 'smn_gateway.sent',
  failed: 'smn_gateway.failed',
  suppressed: 'smn_gateway.suppressed',
} as const;

/** The error code a failure answers with (GraphQL `extensions.code`, or our errors' `code`). */
export function errorCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { extensions, code } = error as { extensions?: { code?: unknown }; code?: unknown };
  if (typeof extensions?.code === 'string') return extensions.code;
  return typeof code === 'string' ? code : undefined;
}

/** Marks a span failed with a code (never the message: it may echo input). */
export function failSpan(span: Span, code: string | undefined): void {
  span.setStatus({ code: SpanStatusCode.ERROR, ...(code && { message: code }) });
  if (code) span.setAttribute(ATTR.errorCode, code);
}

export interface SpanOptions {
  readonly attributes?: Attributes;
  readonly kind?: SpanKind;
  readonly links?: Link[];
  /** Start a new trace (a campaign batch job), linked rather than parented. */
  readonly root?: boolean;
  /** The error code a failure of `fn` is recorded with (default: errorCodeOf). */
  readonly codeOf?: (error: unknown) => string | undefined;
}

/** Runs `fn` in a child span of the active one (ended, and marked failed when `fn` throws). */
export async function inSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(
    name,
    {
      ...(options.attributes && { attributes: options.attributes }),
      ...(options.kind !== undefined && { kind: options.kind }),
      ...(options.links && { links: options.links }),
      ...(options.root && { root: true }),
    },
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        failSpan(span, (options.codeOf ?? errorCodeOf)(error));
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** trace_id and span_id of the active span, for log lines (nothing when there is none). */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  return trace.isSpanContextValid(span.spanContext()) ? { trace_id: traceId, span_id: spanId } : {};
}

/** The W3C trace context of the active span as headers (`traceparent`), to carry it on. */
export function traceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

/** The context a request's headers carry (a router's `traceparent`), or the active one. */
export function contextFrom(headers: Record<string, unknown>): Context {
  return propagation.extract(context.active(), headers);
}

/** The active span's context, to link a later trace (a campaign's batches) to this one. */
export function currentLink(): { traceId: string; spanId: string } | undefined {
  const span = trace.getActiveSpan();
  if (!span || !trace.isSpanContextValid(span.spanContext())) return undefined;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

/** The active context, to run later work (a queued call) in it. */
export const activeContext = (): Context => context.active();
export const runIn = <T>(parent: Context, fn: () => T): T => context.with(parent, fn);

export { context, SpanKind, trace };
