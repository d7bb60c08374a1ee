import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type DocumentNode } from 'graphql';
import { ErrorCode } from '../../error-codes.js';

/**
 * The refusal for a request whose operation cannot be chosen: `operationName` names none of the
 * document's operations, or the document has several and no name. The name the caller sent is not
 * repeated (it is caller input, of any length).
 */
export function operationResolutionFailure(
  document: DocumentNode | undefined,
  operationName: string | null | undefined,
): GraphQLError {
  const operations = document?.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  const message =
    operationName != null
      ? 'The operationName names no operation in this document; nothing was run.'
      : (operations?.length ?? 0) > 1
        ? 'The document has several operations and no operationName to choose one; nothing was run.'
        : 'The document has no operation to run.';
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE, http: { status: 400 } },
  });
}

/**
 * Apollo goes on to execute a request whose operation it could not resolve and only then turns
 * the executor's error into OPERATION_RESOLUTION_FAILURE; an executor that picks the document's one
 * operation anyway (graphql-jit does) would run it. Refused here, before anything executes, on every
 * execution path; it runs first among the plugins so its refusal is the one answered.
 */
export function operationResolution(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request }) {
          if (!operation) throw operationResolutionFailure(document, request.operationName);
        },
      };
    },
  };
}
