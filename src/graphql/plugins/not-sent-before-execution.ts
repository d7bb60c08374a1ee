import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLFormattedError } from 'graphql';

/** The error as it was, stating that nothing was sent unless it already says what happened. */
export function statingNotSent(error: GraphQLFormattedError): GraphQLFormattedError {
  if (error.extensions?.delivery !== undefined) return error;
  return { ...error, extensions: { ...error.extensions, delivery: 'NOT_SENT' } };
}

/**
 * A request refused before execution started (parse, validation, operation resolution,
 * authentication, a plugin's refusal, even an unexpected failure) sent nothing, whatever its code:
 * every error of its answer says `delivery: NOT_SENT`, so a client knows a retry cannot send twice.
 * Once execution starts, each error's own code says (error-codes.ts).
 */
export function notSentBeforeExecution(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      let executing = false;
      return {
        async executionDidStart() {
          executing = true;
        },
        async willSendResponse({ response }) {
          if (executing || response.body.kind !== 'single') return;
          const { singleResult } = response.body;
          if (singleResult.errors) {
            response.body.singleResult = { ...singleResult, errors: singleResult.errors.map(statingNotSent) };
          }
        },
      };
    },
  };
}
