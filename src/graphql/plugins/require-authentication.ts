import type { ApolloServerPlugin } from '@apollo/server';
import type { DocumentNode, GraphQLError, OperationDefinitionNode } from 'graphql';
import type { Caller } from '../../auth/caller.js';
import type { RequestContext } from '../request-context.js';
import { authenticationRequired } from '../../auth/errors.js';
import { authGraphQLError } from '../errors.js';
import { documentShape } from '../document-shape.js';

/** Root fields schema tooling and the playground need; answered without a token unless configured otherwise. */
const PUBLIC_ROOT_FIELDS = new Set(['__schema', '__type', '__typename', '_service']);

/**
 * Why an operation may not run for this caller, or undefined when it may: a caller without a token
 * (AUTH_INTROSPECTION=public lets one through authentication) may only ask for introspection or
 * `_service`. Used by the plugin below and by the WebSocket path (subscriptions.ts).
 */
export function tokenlessRefusal(
  caller: Caller | undefined,
  document: DocumentNode,
  operation: OperationDefinitionNode | null | undefined,
): GraphQLError | undefined {
  if (caller) return undefined;
  const fields = operation ? documentShape(document).rootFields(operation) : undefined;
  if (fields && !fields.overflow && [...fields.counts.keys()].every((field) => PUBLIC_ROOT_FIELDS.has(field))) {
    return undefined;
  }
  return authGraphQLError(authenticationRequired());
}

/**
 * With AUTH_INTROSPECTION=public, a caller without a token gets past authentication (so schema
 * tooling works) and is refused here, before any resolver runs (HTTP 401), unless the operation only
 * asks for introspection or `_service`. With `token`, such a caller never gets this far.
 */
export function requireAuthentication(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          const refusal = tokenlessRefusal(contextValue.caller, document, operation);
          if (refusal) throw refusal;
        },
      };
    },
  };
}
