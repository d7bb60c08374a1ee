import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ErrorCode } from '../../src/error-codes.js';
import { useStack } from '../helpers/stack.js';

const stack = useStack({ app: false });

const QUERY = '{ promotionSmsLimits { maxEndpoints } }';
const sha256Hash = createHash('sha256').update(QUERY).digest('hex');

async function apq(url: string, body: Record<string, unknown>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, extensions: { persistedQuery: { version: 1, sha256Hash } } }),
  });
  return {
    status: response.status,
    ...((await response.json()) as { data?: unknown; errors?: Array<{ extensions?: Record<string, unknown> }> }),
  };
}

describe('automatic persisted queries answer as the APQ protocol and the error table say', () => {
  it('off (the default): PERSISTED_QUERY_NOT_SUPPORTED with its documented status, nothing sent', async () => {
    await stack.withApp({}, async (app) => {
      const answer = await apq(app.graphqlUrl, {});
      expect(answer.status).toBe(ERROR_CODES.PERSISTED_QUERY_NOT_SUPPORTED.httpStatus);
      expect(answer.errors?.[0]?.extensions).toMatchObject({
        code: ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
        delivery: 'NOT_SENT',
      });
    });
  });

  it('on: an unknown hash is PERSISTED_QUERY_NOT_FOUND; registered with its document, then answered by hash', async () => {
    await stack.withApp({ GRAPHQL_PERSISTED_QUERIES: 'true' }, async (app) => {
      const unknown = await apq(app.graphqlUrl, {});
      // 200 as the APQ protocol has it (the registry's 400 is for trusted-document ids).
      expect(unknown.status).toBe(200);
      expect(unknown.errors?.[0]?.extensions).toMatchObject({
        code: ErrorCode.PERSISTED_QUERY_NOT_FOUND,
        delivery: 'NOT_SENT',
      });
      const registered = await apq(app.graphqlUrl, { query: QUERY });
      expect(registered).toMatchObject({
        status: 200,
        data: { promotionSmsLimits: { maxEndpoints: expect.any(Number) } },
      });
      const byHash = await apq(app.graphqlUrl, {});
      expect(byHash).toEqual(registered);
    });
  });
});
