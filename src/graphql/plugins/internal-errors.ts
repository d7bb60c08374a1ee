import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GatewayContext } from '../context.js';
import { isUnexpected } from '../errors.js';

/**
 * Unexpected failures: logged in full on the request's logger (so with its request id and caller),
 * and answered with that request id on the INTERNAL_SERVER_ERROR, the only detail the caller sees
 * in production, so they can quote it and the logs can be searched by it.
 */
export function internalErrors(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const original = unwrapResolverError(error);
            if (isUnexpected(original)) {
              contextValue.logger.error({ err: original }, 'unexpected error while serving a GraphQL request');
            }
          }
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          response.body.singleResult.errors = response.body.singleResult.errors.map((error) =>
            error.extensions?.code === 'INTERNAL_SERVER_ERROR'
              ? { ...error, extensions: { ...error.extensions, requestId: contextValue.requestId } }
              : error,
          );
        },
      };
    },
  };
}
