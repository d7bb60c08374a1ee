import { createServer } from 'node:http';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_CALLER } from '../../src/auth/caller.js';
import { loadConfig } from '../../src/config.js';
import { createApolloServer } from '../../src/graphql/server.js';
import { createLogger } from '../../src/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { LogCapture } from '../helpers/log-capture.js';

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      boom: {
        type: GraphQLString,
        resolve: () => {
          throw new Error('internal detail: shard-7 exploded');
        },
      },
    },
  }),
});

async function run(production: boolean) {
  const logs = new LogCapture();
  const logger = createLogger({ level: 'info', destination: logs });
  const config = loadConfig(production ? { NODE_ENV: 'production' } : {});
  const server = createApolloServer({
    schema,
    httpServer: createServer(),
    logger,
    production,
    graphql: config.graphql,
    auth: config.auth,
    metrics: createMetrics(),
    shutdownTimeoutMs: 1000,
  });
  await server.start();
  const response = await server.executeOperation(
    { query: '{ boom }' },
    {
      contextValue: {
        requestId: 'req-42',
        caller: ANONYMOUS_CALLER,
        logger: logger.child({ requestId: 'req-42' }),
        stats: {},
      },
    },
  );
  await server.stop();
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { error: response.body.singleResult.errors?.[0], logs };
}

describe('unexpected errors', () => {
  it('in production: INTERNAL_SERVER_ERROR with the request id, no message, no stack; the log has both', async () => {
    const { error, logs } = await run(true);
    expect(error).toEqual({
      message: 'Internal server error',
      path: ['boom'],
      extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-42' },
    });
    const logged = logs.entries().find((entry) => entry.msg === 'unexpected error while serving a GraphQL request');
    expect(logged).toMatchObject({ requestId: 'req-42', level: 50 });
    expect(JSON.stringify(logged)).toContain('shard-7'); // the operator needs the detail; the caller never sees it
  });

  it('outside production: the message and stack help the developer', async () => {
    const { error } = await run(false);
    expect(error?.message).toContain('shard-7');
    expect(error?.extensions?.stacktrace).toBeDefined();
  });
});
