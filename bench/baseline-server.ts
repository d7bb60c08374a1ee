// The baseline: a plain graphql-js schema behind a bare node:http handler, validation by hand, the
// same SMN client and result matching. What GraphQL costs without our framework choices.
import { createServer } from 'node:http';
import { buildSchema, graphql } from 'graphql';
import pino from 'pino';
import { createSmnClient } from '../src/smn/client.js';
import { PROMOTION_LIMITS, isPromotionEndpoint, isSmnId } from '../src/smn/wire.js';
import { matchResults } from '../src/send/match-results.js';
import { listen } from '../src/util/listen.js';
import { PUBLISH_SDL } from './lib/publish-sdl.js';

const schema = buildSchema(PUBLISH_SDL);

const env = process.env;
const logger = pino({ level: 'silent' });
const smn = createSmnClient({
  endpoint: new URL(env.SMN_ENDPOINT!),
  projectId: env.SMN_PROJECT_ID!,
  credentials: { ak: env.HUAWEICLOUD_SDK_AK!, sk: env.HUAWEICLOUD_SDK_SK! },
  timeoutMs: 10_000,
  connectTimeoutMs: 3_000,
  logger,
});

interface Input {
  endpoints: string[];
  smsTemplateId: string;
  signId?: string | null;
}

const rootValue = {
  async publishPromotionSms({ input }: { input: Input }) {
    const { endpoints: given, smsTemplateId } = input;
    if (given.length < 1 || given.length > PROMOTION_LIMITS.maxEndpoints || !given.every(isPromotionEndpoint)) {
      throw new Error('BAD_USER_INPUT');
    }
    if (!isSmnId(smsTemplateId)) throw new Error('BAD_USER_INPUT');
    const endpoints = [...new Set(given)];
    const response = await smn.publishPromotion({ endpoints, smsTemplateId });
    const results = matchResults(endpoints, response.result, logger).map((outcome) =>
      outcome.status === 'sent'
        ? { __typename: 'SmsSent', endpoint: outcome.endpoint, messageId: outcome.messageId }
        : { __typename: 'SmsFailed', ...outcome },
    );
    const sentCount = results.filter((result) => result.__typename === 'SmsSent').length;
    return {
      requestId: response.request_id,
      results,
      sentCount,
      failedCount: results.length - sentCount,
      duplicatesRemoved: given.length - endpoints.length,
    };
  },
};

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    void graphql({ schema, source: query, rootValue, variableValues: variables }).then((result) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(result));
    });
  });
});
const url = await listen(server, 0, '127.0.0.1');
process.stdout.write(`${JSON.stringify({ baseline: `${url}/graphql` })}\n`);
process.once('SIGTERM', () => {
  server.close();
  smn.close();
  process.exit(0);
});
