import { ApolloServer } from '@apollo/server';
import { buildSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../src/error-codes.js';
import { notSentBeforeExecution } from '../../src/graphql/plugins/not-sent-before-execution.js';

const schema = buildSchema('type Query { ok: String, fails: String }');
(schema.getQueryType()!.getFields().fails as { resolve?: unknown }).resolve = () => {
  throw new Error('broke while running');
};

async function answer(query: string, failBeforeExecution: boolean) {
  const server = new ApolloServer({
    schema,
    plugins: [
      notSentBeforeExecution(),
      {
        async requestDidStart() {
          return {
            async didResolveOperation() {
              if (failBeforeExecution) throw new Error('a bug before anything ran');
            },
          };
        },
      },
    ],
  });
  await server.start();
  try {
    const response = await server.executeOperation({ query });
    return response.body.kind === 'single' ? response.body.singleResult : undefined;
  } finally {
    await server.stop();
  }
}

describe('notSentBeforeExecution', () => {
  it('an unexpected failure before execution says delivery: NOT_SENT', async () => {
    const result = await answer('{ ok }', true);
    expect(result?.errors?.[0]?.extensions).toMatchObject({
      code: ErrorCode.INTERNAL_SERVER_ERROR,
      delivery: 'NOT_SENT',
    });
  });

  it('an error once execution started keeps what its own code says', async () => {
    const result = await answer('{ fails }', false);
    expect(result?.errors?.[0]?.message).toBe('broke while running');
    expect(result?.errors?.[0]?.extensions?.delivery).toBeUndefined();
  });
});
