import type { AuthChecker } from 'type-graphql';
import type { Caller } from '../auth/caller.js';
import { requireScopes as checkScopes } from '../auth/authorize.js';
import { rethrowForApollo } from './errors.js';

/**
 * auth/'s scope check at the API edge: a refusal leaves as the answer the API promises (FORBIDDEN with
 * `requiredScopes`; UNAUTHENTICATED with HTTP 401 and its challenge), for resolvers that are not
 * TypeGraphQL's (federation references, subscriptions' `subscribe`).
 */
export function requireScopes(caller: Caller | undefined, scopes: readonly string[]): true {
  try {
    return checkScopes(caller, scopes);
  } catch (error) {
    rethrowForApollo(error);
  }
}

/** TypeGraphQL's @Authorized(scopes) checker: the scopes are the roles. */
export const scopeAuthChecker: AuthChecker<{ readonly caller: Caller | undefined }> = ({ context }, scopes) =>
  requireScopes(context.caller, scopes);
