import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../error-codes.js';
import type { RequestContext } from '../request-context.js';

/**
 * A subscription sent as a plain HTTP request is refused (400) instead of having its field resolved
 * once with no event: subscriptions run over WebSocket (graphql-ws) on the same path.
 */
export function subscriptionsOverWebSocket(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError('Subscriptions run over WebSocket (graphql-ws) on this path, not as HTTP requests.', {
            extensions: { code: ErrorCode.BAD_REQUEST, http: { status: 400 } },
          });
        },
      };
    },
  };
}
