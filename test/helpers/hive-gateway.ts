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
    transports: Record<string, SubgraphTransport>;
    propagateHeaders: {
      fromClientToSubgraphs(payload: { request: Request; subgraphName: string }): Record<string, string> | undefined;
    };
  }): HiveGatewayRuntime;
}
/** A transport as the runtime loads one: the subgraph's entry from the supergraph and the runtime's fetch. */
interface SubgraphTransport {
  getSubgraphExecutor(payload: { transportEntry: { location?: string }; fetch: unknown }): unknown;
}
interface HTTPExecutorModule {
  buildHTTPExecutor(options: { endpoint: string; fetch: unknown }): unknown;
}
const HIVE_GATEWAY_RUNTIME: string = '@graphql-hive/gateway-runtime';
/** A dependency of the runtime itself (its proxy mode), and what `@graphql-mesh/transport-http` wraps. */
const HTTP_EXECUTOR: string = '@graphql-tools/executor-http';

/**
 * A real Hive Gateway (the runtime `hive-gateway` serves) over a composed supergraph, on a loopback
 * port, forwarding to the `sms` subgraph exactly the headers router.yaml propagates, as the Apollo
 * Gateway helper (router.ts) does. Nothing else is configured: no persisted documents, the
 * runtime's default error handling.
 */
export async function startHiveGateway(supergraphSdl: string): Promise<RunningRouter> {
  const forwarded = await propagatedHeaders();
  const { createGatewayRuntime } = (await import(HIVE_GATEWAY_RUNTIME)) as HiveGatewayModule;
  const { buildHTTPExecutor } = (await import(HTTP_EXECUTOR)) as HTTPExecutorModule;
  // The `http` transport a subgraph in a supergraph is reached by. The runtime would load
  // `@graphql-mesh/transport-http`, which is not installed (it is not a dependency of the runtime);
  // this is that package's transport without its options: the runtime's fetch (so its plugins, the
  // header propagation below among them, apply) to the subgraph's routing URL.
  const http: SubgraphTransport = {
    getSubgraphExecutor: ({ transportEntry, fetch }) => {
      if (!transportEntry.location) throw new Error('a subgraph without a routing URL');
      return buildHTTPExecutor({ endpoint: transportEntry.location, fetch });
    },
  };
  const gateway = createGatewayRuntime({
    supergraph: supergraphSdl,
    logging: process.env.HIVE_DEBUG ? 'debug' : false, // HIVE_DEBUG=1: the runtime's debug log
    transports: { http },
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
