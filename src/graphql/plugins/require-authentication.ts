import type { ApolloServerPlugin } from '@apollo/server';
import type { GatewayContext } from '../context.js';
import { unauthenticated } from '../auth/errors.js';
import { fragmentsOf, rootFields } from '../root-fields.js';

/** Root fields schema tooling and the playground need; answered without a token unless configured otherwise. */
const PUBLIC_ROOT_FIELDS = new Set(['__schema', '__type', '__typename', '_service']);

/**
 * Refuses, before any resolver runs, an operation from a caller without a token (HTTP 401), unless
 * it only asks for introspection or `_service` and those are public.
 */
export function requireAuthentication(options: { publicIntrospection: boolean }): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, operation, document }) {
          if (contextValue.caller) return;
          if (options.publicIntrospection) {
            const fields = operation ? rootFields(operation.selectionSet, fragmentsOf(document)) : ['?'];
            if (fields.every((field) => PUBLIC_ROOT_FIELDS.has(field))) return;
          }
          throw unauthenticated('Authentication required: send "Authorization: Bearer <token>".');
        },
      };
    },
  };
}
