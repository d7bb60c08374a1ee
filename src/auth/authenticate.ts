import type { IncomingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import { ANONYMOUS_CALLER, type Caller } from './caller.js';
import { KeysUnavailable, TokenRejected, type JwtVerifier } from './jwt-verifier.js';
import { authUnavailable, authenticationRequired, unauthenticated } from './errors.js';

/** The scheme is case-insensitive (RFC 9110 11.1) and followed by one or more spaces (RFC 6750 2.1). */
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)$/i;

export type Authenticate = (headers: IncomingHttpHeaders, logger: Logger) => Promise<Caller | undefined>;

/**
 * The caller of one HTTP request: from its bearer token, or undefined when it sent none and
 * `tokenOptional` (then only introspection and `_service` are answered). A missing token otherwise,
 * or a token that is present but not valid, is refused outright with 401 before the document is
 * even parsed, so nothing about the schema (not even a "Did you mean" suggestion) reaches the caller.
 */
export function createAuthenticator(
  verify: JwtVerifier | undefined,
  options: { tokenOptional: boolean } = { tokenOptional: true },
): Authenticate {
  if (!verify) return () => Promise.resolve(ANONYMOUS_CALLER);
  return async (headers, logger) => {
    const header = headers.authorization;
    if (header === undefined || header === '') {
      if (options.tokenOptional) return undefined;
      throw authenticationRequired();
    }
    const token = BEARER.exec(header)?.[1];
    if (!token) throw unauthenticated('The Authorization header must be "Bearer <JWT>".', 'invalid_request');
    try {
      return await verify(token);
    } catch (error) {
      if (error instanceof TokenRejected) {
        logger.info({ reason: error.reason }, 'bearer token refused');
        throw unauthenticated(`Invalid token: ${error.reason}.`, 'invalid_token');
      }
      if (error instanceof KeysUnavailable) {
        logger.error({ err: error.cause }, 'JWKS unreachable; cannot authenticate');
        throw authUnavailable();
      }
      throw error;
    }
  };
}
