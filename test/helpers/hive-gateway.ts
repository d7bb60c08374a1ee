import { createServer, type RequestListener } from 'node:http';
import { closeServer, listen } from '../../src/util/listen.js';
import type { RunningRouter } from './router.js';
import { propagatedHeaders } from './router-config.js';

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
    propagateHeaders: {
      fromClientToSubgraphs(payload: { request: Request; subgraphName: string }): Record<string, string> | undefined;
    };
  }): HiveGatewayRuntime;
}
const HIVE_GATEWAY_RUNTIME: string = '@graphql-hive/gateway-runtime';

/**
 * A real Hive Gateway (the runtime `hive-gateway` serves) over a composed supergraph, on a loopback
 * port, forwarding to the `sms` subgraph exactly the headers router.yaml propagates, as the Apollo
 * Gateway helper (router.ts) does. Nothing else is configured: no persisted documents, the
 * runtime's default error handling.
 */
export async function startHiveGateway(supergraphSdl: string): Promise<RunningRouter> {
  const forwarded = await propagatedHeaders();
  const { createGatewayRuntime } = (await import(HIVE_GATEWAY_RUNTIME)) as HiveGatewayModule;
  // Subgraphs are reached by the runtime's `http` transport (`@graphql-mesh/transport-http`, a dev
  // dependency here: the runtime loads it by name and does not depend on it).
  const gateway = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: process.env.HIVE_DEBUG ? 'debug' : false, // HIVE_DEBUG=1: the runtime's debug log
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
