/** Why a caller is refused: no valid token, a token without the scope, or the token cannot be checked. */
export type AuthErrorKind = 'unauthenticated' | 'forbidden' | 'unavailable';

/** RFC 6750's error for a bad bearer token: the request is malformed, or the token is not valid. */
export type BearerTokenError = 'invalid_request' | 'invalid_token';

/**
 * A caller refused, as plain facts: the API edge (graphql/errors.ts) turns them into the answer
 * (UNAUTHENTICATED with HTTP 401 and a Bearer challenge, FORBIDDEN naming the scopes, AUTH_UNAVAILABLE
 * with HTTP 503). The message never repeats the token.
 */
export class AuthError extends Error {
  constructor(
    readonly kind: AuthErrorKind,
    message: string,
    readonly facts: {
      /** For `unauthenticated` with a token present: what was wrong with it (the challenge's `error`). */
      readonly tokenError?: BearerTokenError | undefined;
      /** For `forbidden`: any one of these scopes would have let the caller through. */
      readonly requiredScopes?: readonly string[] | undefined;
    } = {},
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

/** No valid token: answered with a Bearer challenge, as RFC 6750 asks. */
export function unauthenticated(message: string, tokenError?: BearerTokenError): AuthError {
  return new AuthError('unauthenticated', message, { tokenError });
}

/** No token at all where one is needed. */
export function authenticationRequired(): AuthError {
  return unauthenticated('Authentication required: send "Authorization: Bearer <token>".');
}

/** A valid token without the scope this field needs. */
export function forbidden(scopes: readonly string[]): AuthError {
  return new AuthError('forbidden', `This needs the scope ${scopes.join(' or ')}.`, { requiredScopes: scopes });
}

/** The token could not be checked because the signing keys are out of reach. */
export function authUnavailable(): AuthError {
  return new AuthError('unavailable', 'Authentication is temporarily unavailable; try again shortly.');
}
