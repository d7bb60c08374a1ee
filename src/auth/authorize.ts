import type { Caller } from './caller.js';
import { authenticationRequired, forbidden } from './errors.js';

/** Passes when the caller holds any of the scopes; throws an AuthError (unauthenticated, forbidden) otherwise. */
export function requireScopes(caller: Caller | undefined, scopes: readonly string[]): true {
  if (!caller) throw authenticationRequired();
  if (scopes.length === 0 || scopes.some((scope) => caller.scopes.has(scope))) return true;
  throw forbidden(scopes);
}
