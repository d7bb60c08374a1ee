import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/error-codes.js';
import { useStack, useApp } from '../helpers/stack.js';

const stack = useStack({ env: { GRAPHQL_COMPILED_EXECUTION: 'true' } });
const interpreted = useApp(stack, { GRAPHQL_COMPILED_EXECUTION: 'false' });

const SEND = `mutation Send($input: PublishPromotionSmsInput!) {
  publishPromotionSms(input: $input) { sentCount } }`;
const LIMITS = 'query Limits { promotionSmsLimits { maxEndpoints } }';
const input = { endpoints: ['+8613812345678'], smsTemplateId: 'tpl' };

async function raw(url: string, body: unknown) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as {
    data?: unknown;
    errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
  };
  return { status: response.status, ...json };
}

describe.each([
  ['compiled execution (graphql-jit)', () => stack.app],
  ['graphql-js', () => interpreted.app],
])('an operation that cannot be chosen, on %s: HTTP 400, nothing sent', (_engine, app) => {
  it('operationName naming no operation of a one-operation document: refused before it runs', async () => {
    await stack.simulator.reset();
    const lines = app().logs.lines.length;
    const answer = await raw(app().graphqlUrl, { operationName: 'Other', query: SEND, variables: { input } });
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(answer.errors).toHaveLength(1);
    expect(answer.errors?.[0]?.extensions).toMatchObject({
      code: ErrorCode.OPERATION_RESOLUTION_FAILURE,
      delivery: 'NOT_SENT',
    });
    expect(await stack.simulator.requests()).toEqual([]);
    expect(app().logs.lines.slice(lines).join('\n')).not.toContain('promotion SMS batch published');
  });

  it('a wrong name among two operations is told apart from a missing one', async () => {
    const both = `${SEND}\n${LIMITS}`;
    const wrong = await raw(app().graphqlUrl, { operationName: 'Other', query: both, variables: { input } });
    expect(wrong.status).toBe(400);
    expect(wrong.errors?.[0]?.extensions).toMatchObject({
      code: ErrorCode.OPERATION_RESOLUTION_FAILURE,
      delivery: 'NOT_SENT',
    });
    expect(wrong.errors?.[0]?.message).not.toMatch(/must provide/i);
    expect(wrong.errors?.[0]?.message).toContain('operationName names no operation');
    const missing = await raw(app().graphqlUrl, { query: both, variables: { input } });
    expect(missing.status).toBe(400);
    expect(missing.errors?.[0]?.extensions?.code).toBe(ErrorCode.OPERATION_RESOLUTION_FAILURE);
    expect(missing.errors?.[0]?.message).toContain('no operationName');
    expect(await stack.simulator.requests()).toEqual([]);
  });

  it('the name is not echoed back, whatever it holds', async () => {
    const answer = await raw(app().graphqlUrl, { operationName: '+8613812345678', query: SEND, variables: { input } });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer)).not.toContain('13812345678');
  });

  it('a right name among two runs that operation only', async () => {
    const answer = await raw(app().graphqlUrl, { operationName: 'Limits', query: `${SEND}\n${LIMITS}` });
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ promotionSmsLimits: { maxEndpoints: expect.any(Number) as number } });
  });
});

describe('every request that fails before execution says delivery: NOT_SENT', () => {
  it.each([
    ['a parse error', { query: 'mutation {' }],
    ['a validation error', { query: '{ nope }' }],
    ['variables that do not coerce', { query: SEND, variables: { input: { endpoints: 'x' } } }],
    ['a subscription over HTTP', { query: 'subscription { __typename }' }],
  ])('%s', async (_name, body) => {
    const answer = await raw(stack.app.graphqlUrl, body);
    expect(answer.status).toBe(400);
    expect(answer.errors?.length).toBeGreaterThan(0);
    for (const error of answer.errors ?? []) expect(error.extensions?.delivery).toBe('NOT_SENT');
  });
});

describe('a body refused before GraphQL parses it says delivery: NOT_SENT', () => {
  it.each([
    ['not JSON', '{"query": "mutation {', 400],
    ['over the body limit', JSON.stringify({ query: `{ __typename }${' '.repeat(2_000_000)}` }), 413],
  ])('%s', async (_name, body, status) => {
    const response = await fetch(stack.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(response.status).toBe(status);
    const answer = (await response.json()) as { errors: Array<{ extensions: Record<string, unknown> }> };
    expect(answer.errors[0]?.extensions.delivery).toBe('NOT_SENT');
  });
});
