import { context, propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/** Tracing as configured by the standard OTEL_* variables (read in src/config). */
export interface TracingConfig {
  /** Where spans go (OTLP over HTTP); tracing is off without it. */
  readonly url: URL;
  readonly protocol: 'http/protobuf' | 'http/json';
  readonly serviceName: string;
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly sampler: { readonly name: string; readonly ratio: number };
  /** OTEL_BSP_SCHEDULE_DELAY: how long spans wait to be sent in a batch. */
  readonly scheduleDelayMs: number;
}

export interface Tracing {
  /** Sends what is pending, then stops. */
  shutdown(): Promise<void>;
}

function samplerOf({ name, ratio }: TracingConfig['sampler']): Sampler {
  const ratioSampler = new TraceIdRatioBasedSampler(ratio);
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratioSampler;
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratioSampler });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * OpenTelemetry's Node SDK, registered globally: a tracer provider with one batch processor and the
 * OTLP/HTTP exporter (protobuf or JSON), W3C Trace Context propagation, AsyncLocalStorage context.
 * Only called when an endpoint is configured: otherwise nothing is registered and every span is the
 * API's no-op.
 */
export function startTracing(config: TracingConfig): Tracing {
  const options = { url: config.url.href };
  const exporter = config.protocol === 'http/json' ? new JsonExporter(options) : new ProtobufExporter(options);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ ...config.resourceAttributes, 'service.name': config.serviceName }),
    sampler: samplerOf(config.sampler),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: config.scheduleDelayMs })],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  return {
    async shutdown() {
      await provider.shutdown();
      // Unregister, so a later provider (another app in the same process, in tests) can take its place.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
