import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../request-context.js';
import { authenticationRequired } from '../../auth/errors.js';
import { documentShape } from '../document-shape.js';

/** Root fields schema tooling and the playground need; answered without a token unless configured otherwise. */
const PUBLIC_ROOT_FIELDS = new Set(['__schema', '__type', '__typename', '_service']);

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
          if (contextValue.caller) return;
          const fields = operation ? documentShape(document).rootFields(operation) : undefined;
          if (fields && !fields.overflow && [...fields.counts.keys()].every((field) => PUBLIC_ROOT_FIELDS.has(field))) {
            return;
          }
          throw authenticationRequired();
        },
      };
    },
  };
}
