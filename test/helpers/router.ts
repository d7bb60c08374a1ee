import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { propagatedHeaders } from './router-config.js';

export interface RunningRouter {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * A real Apollo Gateway over a composed supergraph, forwarding to the `sms` subgraph exactly the
 * headers router.yaml propagates, as an Apollo Router with that file would.
 */
export async function startRouter(supergraphSdl: string): Promise<RunningRouter> {
  const forwarded = await propagatedHeaders();
  const gateway = new ApolloGateway({
    supergraphSdl,
    buildService: ({ name: subgraph, url }) =>
      new RemoteGraphQLDataSource<{ headers: Record<string, string | string[] | undefined> }>({
        ...(url !== undefined && { url }),
        willSendRequest({ request, context }) {
          if (subgraph !== 'sms') return;
          for (const name of forwarded) {
            const value = context.headers?.[name];
            if (typeof value === 'string') request.http?.headers.set(name, value);
          }
        },
      }),
  });
  const server = new ApolloServer<{ headers: Record<string, string | string[] | undefined> }>({ gateway });
  const { url } = await startStandaloneServer(server, {
    listen: { port: 0, host: '127.0.0.1' },
    context: async ({ req }) => ({ headers: req.headers }),
  });
  return { url, stop: () => server.stop() };
}
