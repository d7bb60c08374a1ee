import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { GatewayContext } from '../context.js';
import { unauthenticated } from '../auth/errors.js';

/** Root fields schema tooling and the playground need; answered without a token unless configured otherwise. */
const PUBLIC_ROOT_FIELDS = new Set(['__schema', '__type', '__typename', '_service']);

function rootFieldNames(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  names = new Set<string>(),
): Set<string> {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) names.add(selection.name.value);
    else if (selection.kind === Kind.INLINE_FRAGMENT) rootFieldNames(selection.selectionSet, fragments, names);
    else {
      const fragment = fragments[selection.name.value];
      if (fragment) rootFieldNames(fragment.selectionSet, fragments, names);
    }
  }
  return names;
}

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
            const fragments = Object.fromEntries(
              document.definitions.flatMap((definition) =>
                definition.kind === Kind.FRAGMENT_DEFINITION ? [[definition.name.value, definition]] : [],
              ),
            ) as Record<string, FragmentDefinitionNode>;
            const fields = operation ? rootFieldNames(operation.selectionSet, fragments) : new Set(['?']);
            if ([...fields].every((field) => PUBLIC_ROOT_FIELDS.has(field))) return;
          }
          throw unauthenticated('Authentication required: send "Authorization: Bearer <token>".');
        },
      };
    },
  };
}
