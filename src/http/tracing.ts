import type { RequestHandler } from 'express';
import { context, contextFrom, failSpan, SpanKind, trace, tracer } from '../observability/tracing.js';

/**
 * A request's spans: the HTTP server span, continuing the caller's W3C trace context (a router's
 * `traceparent`) or starting a trace, and under it the span of what the route does (`child`), active
 * for everything the request runs. Mounted after the body parser, so the context is not lost in its
 * stream callbacks.
 */
export function requestSpans(route: string, child: string): RequestHandler {
  return (req, res, next) => {
    const parent = contextFrom(req.headers);
    const server = tracer().startSpan(
      `${req.method} ${route}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'http.route': route } },
      parent,
    );
    const withServer = trace.setSpan(parent, server);
    const inner = tracer().startSpan(child, {}, withServer);
    res.once('finish', () => {
      inner.end();
      server.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) failSpan(server, undefined);
      server.end();
    });
    context.with(trace.setSpan(withServer, inner), next);
  };
}
