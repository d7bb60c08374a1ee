import { createServer, type RequestListener } from 'node:http';
import { closeServer, listen } from '../../src/util/listen.js';
import type { RunningRouter } from './router.js';
import { propagatedHeaders, subscriptionPath } from './router-config.js';

/**
 * The part of `@graphql-hive/gateway-runtime` used here. Its own typings are kept out of this
 * project's type check on purpose: they bring a second `@types/node` (25, a dependency of the
 * runtime, nested under it) whose globals clash with ours, and graphql-yoga's augmentation of
 * `GraphQLErrorExtensions.http`, which narrows the `http` extension src/graphql/errors.ts gives
 * Apollo. Either would fail `tsc --noEmit` for src/ as soon as any file imported the package.
 */
interface HiveGatewayRuntime extends RequestListener {
  readonly graphqlEndpoint: string;
  dispose(): Promise<void> | void;
}
interface HiveGatewayModule {
  createGatewayRuntime(config: {
    supergraph: string;
    logging: unknown;
    transportEntries: Record<string, { options: { subscriptions: unknown } }>;
    propagateHeaders: {
      fromClientToSubgraphs(payload: { request: Request; subgraphName: string }): Record<string, string> | undefined;
    };
  }): HiveGatewayRuntime;
}
const HIVE_GATEWAY_RUNTIME: string = '@graphql-hive/gateway-runtime';

/**
 * A real Hive Gateway (the runtime `hive-gateway` serves) over a composed supergraph, on a loopback
 * port, forwarding to the `sms` subgraph exactly the headers router.yaml propagates, as the Apollo
 * Gateway helper (router.ts) does. Subscriptions reach the `sms` subgraph over graphql-ws on the path
 * router.yaml gives Apollo Router, with the client's `Authorization` in `connection_init` as
 * `authorization`; clients subscribe to the gateway over SSE. Nothing else is configured: no
 * persisted documents, the runtime's default error handling.
 */
export async function startHiveGateway(supergraphSdl: string): Promise<RunningRouter> {
  const forwarded = await propagatedHeaders();
  const subscriptionsAt = await subscriptionPath();
  const { createGatewayRuntime } = (await import(HIVE_GATEWAY_RUNTIME)) as HiveGatewayModule;
  // Subgraphs are reached by the runtime's `http` transport (`@graphql-mesh/transport-http`, a dev
  // dependency here: the runtime loads it by name and does not depend on it).
  const gateway = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: process.env.HIVE_DEBUG ? 'debug' : false, // HIVE_DEBUG=1: the runtime's debug log
    transportEntries: {
      sms: {
        options: {
          // Subscriptions by the runtime's `ws` transport (`@graphql-mesh/transport-ws`, a dev dependency
          // here, loaded by name), one WebSocket per distinct connection_init: callers never share one.
          // The token goes in connection_init, the one place the service reads it from on a WebSocket
          // (an absent header leaves it out: a token-less connection). The runtime also copies the
          // propagated headers into each subscribe message's `extensions.headers`: ignored there.
          subscriptions: {
            kind: 'ws',
            location: subscriptionsAt,
            options: { connectionParams: { authorization: '{context.headers.authorization}' } },
          },
        },
      },
    },
    propagateHeaders: {
      fromClientToSubgraphs({ request, subgraphName }) {
        if (subgraphName !== 'sms') return undefined;
        const headers: Record<string, string> = {};
        for (const name of forwarded) {
          const value = request.headers.get(name);
          if (value !== null) headers[name] = value;
        }
        return headers;
      },
    },
  });
  const server = createServer(gateway);
  const base = await listen(server, 0, '127.0.0.1');
  return {
    url: `${base}${gateway.graphqlEndpoint}`,
    async stop() {
      await closeServer(server);
      await gateway.dispose();
    },
  };
}
