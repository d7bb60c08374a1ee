import { createServer } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_CALLER } from '../../src/auth/caller.js';
import { loadConfig } from '../../src/config/index.js';
import { createApolloServer } from '../../src/graphql/server.js';
import { runWithRequestId } from '../../src/http/request-id.js';
import { createLogger } from '../../src/observability/logger.js';
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

async function startServer(production: boolean) {
  const logs = new LogCapture();
  const logger = createLogger({ level: 'info', destination: logs });
  const config = loadConfig(production ? { NODE_ENV: 'production', SMN_MODE: 'simulator' } : {});
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
  return { server, logger, logs };
}

async function run(production: boolean) {
  const { server, logger, logs } = await startServer(production);
  const response = await runWithRequestId('req-42', () =>
    server.executeOperation(
      { query: '{ boom }' },
      {
        contextValue: {
          requestId: 'req-42',
          caller: ANONYMOUS_CALLER,
          logger: logger.child({ requestId: 'req-42' }),
          stats: {},
          admission: {},
        },
      },
    ),
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

  it('thrown outside the pipeline (here: while building the context), still answered with the request id', async () => {
    const { server, logs } = await startServer(true);
    const response = await runWithRequestId('req-43', () =>
      server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: 'POST',
          headers: new HeaderMap([['content-type', 'application/json']]),
          search: '',
          body: { query: '{ boom }' },
        },
        context: () => Promise.reject(new Error('internal detail: vault sealed')),
      }),
    );
    await server.stop();
    expect(response.status).toBe(500);
    const body = response.body.kind === 'complete' ? response.body.string : '';
    expect(JSON.parse(body)).toEqual({
      errors: [
        { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'req-43' } },
      ],
    });
    const logged = logs.entries().find((entry) => entry.msg === 'unexpected error while serving a GraphQL request');
    expect(logged).toMatchObject({ requestId: 'req-43', level: 50 });
    expect(JSON.stringify(logged)).toContain('vault sealed');
  });
});
