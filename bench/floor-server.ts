// The floors under a send, with no SMN call: what an HTTP server (node:http answering JSON), graphql-js
// behind it, and Apollo Server 5 behind express 5 (the service's own stack, no plugins; executed by
// graphql-js, or compiled as the service executes a send) cost for one mutation shaped like
// publishPromotionSms. bench/floor.ts measures each beside the limit, to say how much of a send's CPU
// is spent before any of our code runs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { buildSchema, graphql } from 'graphql';
import { compiledExecution } from '../src/graphql/compiled-execution.js';
import { listen } from '../src/util/listen.js';
import { PUBLISH_SDL } from './lib/publish-sdl.js';

interface Input {
  endpoints: string[];
  smsTemplateId: string;
}

/** What SMN would have answered, made up in place: each number sent, under a fixed request id. */
function publishPromotionSms({ input }: { input: Input }) {
  const results = input.endpoints.map((endpoint, index) => ({
    __typename: 'SmsSent',
    endpoint,
    messageId: `msg-${index}`,
  }));
  return { requestId: 'req-floor', results, sentCount: results.length, failedCount: 0, duplicatesRemoved: 0 };
}

function readBody(req: IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => done(Buffer.concat(chunks).toString('utf8')));
}

function answer(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const mode = process.argv[2];
let url: string;
if (mode === 'http') {
  // The request read and parsed, an answer of the same shape written: no GraphQL at all.
  const server = createServer((req, res) =>
    readBody(req, (body) => {
      const { variables } = JSON.parse(body) as { variables: { input: Input } };
      answer(res, { data: { publishPromotionSms: publishPromotionSms(variables) } });
    }),
  );
  url = await listen(server, 0, '127.0.0.1');
} else if (mode === 'graphql') {
  const schema = buildSchema(PUBLISH_SDL);
  const server = createServer((req, res) =>
    readBody(req, (body) => {
      const { query, variables } = JSON.parse(body) as { query: string; variables?: Record<string, unknown> };
      void graphql({ schema, source: query, rootValue: { publishPromotionSms }, variableValues: variables }).then(
        (result) => answer(res, result),
      );
    }),
  );
  url = await listen(server, 0, '127.0.0.1');
} else if (mode === 'apollo') {
  const apollo = new ApolloServer({
    typeDefs: PUBLISH_SDL,
    resolvers: { Mutation: { publishPromotionSms: (_: unknown, args: { input: Input }) => publishPromotionSms(args) } },
  });
  await apollo.start();
  const app = express();
  app.set('etag', false);
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  url = await listen(createServer(app), 0, '127.0.0.1');
} else if (mode === 'apollo-jit') {
  // The same, executed as the service executes a send: compiled once by graphql-jit, through Apollo's
  // executor hook (compiled-execution.ts).
  const schema = buildSchema(PUBLISH_SDL);
  schema.getMutationType()!.getFields().publishPromotionSms!.resolve = (_, args: { input: Input }) =>
    publishPromotionSms(args);
  const apollo = new ApolloServer({ gateway: compiledExecution(schema) });
  await apollo.start();
  const app = express();
  app.set('etag', false);
  app.use('/graphql', express.json(), expressMiddleware(apollo));
  url = await listen(createServer(app), 0, '127.0.0.1');
} else {
  throw new Error(`usage: floor-server.ts http|graphql|apollo|apollo-jit (got ${mode})`);
}
process.stdout.write(`${JSON.stringify({ floor: `${url}/graphql` })}\n`);
