import { GraphQLError } from 'graphql';
import { ErrorCode } from '../error-codes.js';

/**
 * Where a graphql-ws `connection_init` payload may carry the caller's `Authorization` value:
 * `authorization` (this service's documented form), `Authorization` (GraphiQL sends its headers so),
 * and `token`, what Apollo Router sends a subgraph: `{ "token": "<the Authorization header it
 * propagates>" }` (docs/federation.md, "Subscriptions through a router").
 */
const KEYS = ['authorization', 'Authorization', 'token'] as const;

/**
 * The `Authorization` value a connection_init payload carries, as the HTTP header would: undefined
 * when it carries none. Two different values are refused rather than one picked: which of them
 * the caller meant is a guess, and a guess is how one token passes for another.
 */
export function connectionAuthorization(params: Readonly<Record<string, unknown>>): string | undefined {
  const values = new Set<string>();
  for (const key of KEYS) {
    const value = params[key];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw conflicting(`"${key}" must be a string`);
    values.add(value);
  }
  if (values.size > 1) throw conflicting('its authorization, Authorization and token differ');
  const [only] = values;
  return only;
}

function conflicting(why: string): GraphQLError {
  return new GraphQLError(`The connection_init payload is refused: ${why}.`, {
    extensions: { code: ErrorCode.UNAUTHENTICATED },
  });
}
