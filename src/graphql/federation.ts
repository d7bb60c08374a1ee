import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { execute, parse, type GraphQLSchema } from 'graphql';
import { createResolversMap } from 'type-graphql';

/**
 * The Federation 2 spec version this subgraph links: 2.4, the lowest Apollo Router routes
 * subscriptions for (older links compose, but the router refuses `Subscription` fields from them),
 * and one that has everything else we use (@key). Routers and gateways from 2.4 onwards compose it.
 */
export const FEDERATION_SPEC_URL = 'https://specs.apollo.dev/federation/v2.4';

/** The federation directives the code declares (keep in step with the @Directive decorators). */
export const FEDERATION_IMPORTS = ['@key'] as const;

/** Per-type resolvers that replace or add to TypeGraphQL's: `__resolveReference`, `__resolveType`. */
type TypeResolvers = Record<
  string,
  | { __resolveReference: (reference: Record<string, unknown>, context: never) => unknown }
  | { __resolveType: (value: never) => string }
>;

/**
 * Turns the TypeGraphQL schema into an Apollo Federation 2 subgraph: its SDL printed with the
 * directives the decorators declared, linked to the federation spec, served with `_service` and
 * `_entities`. Field resolvers are TypeGraphQL's own, so validation and auth still run.
 */
export function toSubgraphSchema(schema: GraphQLSchema, typeResolvers: TypeResolvers): GraphQLSchema {
  const link = `extend schema @link(url: "${FEDERATION_SPEC_URL}", import: ${JSON.stringify(FEDERATION_IMPORTS)})`;
  const resolvers: Record<string, object> = createResolversMap(schema);
  for (const [typeName, extra] of Object.entries(typeResolvers)) {
    resolvers[typeName] = { ...resolvers[typeName], ...extra };
  }
  return buildSubgraphSchema({
    typeDefs: parse(`${link}\n\n${printSchemaWithDirectives(schema)}`),
    // Same shape at run time; TypeGraphQL's map is typed more loosely than @apollo/subgraph's.
    resolvers: resolvers as GraphQLResolverMap<unknown>,
  });
}

/** What `_service { sdl }` answers: the SDL a router or `rover subgraph publish` composes. */
export async function serviceSdl(subgraph: GraphQLSchema): Promise<string> {
  const result = await execute({ schema: subgraph, document: parse('{ _service { sdl } }') });
  const sdl = (result.data as { _service?: { sdl?: unknown } } | null | undefined)?._service?.sdl;
  if (typeof sdl !== 'string') throw new Error(`_service returned no SDL: ${JSON.stringify(result.errors)}`);
  return sdl;
}
