import { describe, expect, it } from 'vitest';
import { authUnavailable, unauthenticated } from '../../src/auth/errors.js';
import { authGraphQLError } from '../../src/graphql/errors.js';
import { recordRefusedCaller } from '../../src/graphql/plugins/operation-log.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { LogCapture } from '../helpers/log-capture.js';

const counted = async (metrics: ReturnType<typeof createMetrics>, name: string) =>
  (await metrics.registry.getMetricsAsJSON())
    .find((metric) => metric.name === name)
    ?.values.map(({ labels, value }) => ({ ...labels, value }));

/**
 * A forged or expired token refused before a context exists: over HTTP Apollo hands the plugin the
 * GraphQLError built for it, over the WebSocket subscriptions.ts hands it auth/'s plain AuthError.
 * Both must count as what they are, never as an internal error.
 */
describe('recordRefusedCaller: a refused token counted by its code on both transports', () => {
  it.each([
    ['WebSocket (a plain AuthError)', unauthenticated('Invalid token: bad signature.', 'invalid_token')],
    ['HTTP (its GraphQLError)', authGraphQLError(unauthenticated('Invalid token: bad signature.', 'invalid_token'))],
  ])('%s: UNAUTHENTICATED, and an auth refusal', async (_transport, error) => {
    const metrics = createMetrics();
    const logs = new LogCapture();
    recordRefusedCaller(metrics, createLogger({ level: 'info', destination: logs }), error);
    expect(await counted(metrics, 'smn_gateway_graphql_operations_total')).toEqual([
      { operation: 'unknown', outcome: 'UNAUTHENTICATED', value: 1 },
    ]);
    expect(await counted(metrics, 'smn_gateway_refused_sends_total')).toEqual([{ reason: 'auth', value: 1 }]);
    expect(logs.entries().map((entry) => entry.outcome)).toEqual(['UNAUTHENTICATED']);
  });

  it('keys out of reach: AUTH_UNAVAILABLE, not an auth refusal of the caller', async () => {
    const metrics = createMetrics();
    recordRefusedCaller(metrics, createLogger({ level: 'silent', destination: new LogCapture() }), authUnavailable());
    expect(await counted(metrics, 'smn_gateway_graphql_operations_total')).toEqual([
      { operation: 'unknown', outcome: 'AUTH_UNAVAILABLE', value: 1 },
    ]);
    expect(await counted(metrics, 'smn_gateway_refused_sends_total')).toEqual([]);
  });
});
