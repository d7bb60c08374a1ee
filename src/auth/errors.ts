import { GraphQLError } from 'graphql';
import { ErrorCode } from '../error-codes.js';

/** No valid token: HTTP 401 with a Bearer challenge, as RFC 6750 asks. */
export function unauthenticated(message: string, tokenError?: string): GraphQLError {
  // RFC 6750 quoted strings: no double quotes or backslashes inside.
  const description = message.replace(/["\\]/g, "'");
  const challenge = tokenError
    ? `Bearer realm="smn-gateway", error="${tokenError}", error_description="${description}"`
    : 'Bearer realm="smn-gateway"';
  return new GraphQLError(message, {
    extensions: {
      code: ErrorCode.UNAUTHENTICATED,
      http: { status: 401, headers: new Map([['www-authenticate', challenge]]) },
    },
  });
}

/** No token at all where one is needed. */
export function authenticationRequired(): GraphQLError {
  return unauthenticated('Authentication required: send "Authorization: Bearer <token>".');
}

/** A valid token without the scope this field needs. */
export function forbidden(scopes: readonly string[]): GraphQLError {
  return new GraphQLError(`This needs the scope ${scopes.join(' or ')}.`, {
    extensions: { code: ErrorCode.FORBIDDEN, requiredScopes: scopes },
  });
}

/** The token could not be checked because the signing keys are out of reach (HTTP 503). */
export function authUnavailable(): GraphQLError {
  return new GraphQLError('Authentication is temporarily unavailable; try again shortly.', {
    extensions: { code: ErrorCode.AUTH_UNAVAILABLE, http: { status: 503 } },
  });
}
