import { unwrapResolverError } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { currentRequestId } from '../http/request-id.js';
import { PolicyError } from '../errors/policy-error.js';
import { HistoryUnavailableError } from '../history/deferred-store.js';
import { SMN_ERROR_CODES, SmnError } from '../smn/errors.js';
import { CampaignLimitReached, CampaignRefusal } from '../campaigns/refusals.js';
import { WebhookRefusal } from '../webhooks/webhooks.js';
import { AuthError } from '../auth/errors.js';
import { withoutValue } from './value-free-messages.js';
import { isLiteral } from './literal-kinds.js';
import { ERROR_CODES, ErrorCode } from '../error-codes.js';

export function smnErrorExtensions(error: SmnError): Record<string, unknown> {
  return {
    code: SMN_ERROR_CODES[error.kind],
    delivery: error.delivery,
    smn: {
      ...(error.httpStatus !== undefined && { httpStatus: error.httpStatus }),
      ...(error.code !== undefined && { code: error.code }),
      message: error.message,
      ...(error.requestId !== undefined && { requestId: error.requestId }),
    },
    ...(error.retryAfterSeconds !== undefined && { retryAfterSeconds: error.retryAfterSeconds }),
    ...(error.replayed && { replayed: true }),
  };
}

export function policyErrorExtensions(error: PolicyError): Record<string, unknown> {
  const { retryAfterSeconds, nextAllowedAt, sendWindow, maxRecipients } = error.details;
  return {
    code: error.code,
    delivery: 'NOT_SENT',
    ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
    ...(maxRecipients !== undefined && { maxRecipients }),
    ...(nextAllowedAt !== undefined && { nextAllowedAt: nextAllowedAt.toISOString() }),
    ...(sendWindow !== undefined && { sendWindow }),
  };
}

const AUTH_CODES = {
  unauthenticated: ErrorCode.UNAUTHENTICATED,
  forbidden: ErrorCode.FORBIDDEN,
  unavailable: ErrorCode.AUTH_UNAVAILABLE,
} as const satisfies Record<AuthError['kind'], ErrorCode>;

/** A refused caller's code and facts, as the API promises them. */
export function authErrorExtensions(error: AuthError): Record<string, unknown> {
  return {
    code: AUTH_CODES[error.kind],
    ...(error.facts.requiredScopes && { requiredScopes: error.facts.requiredScopes }),
  };
}

/** The RFC 6750 challenge: the realm, and with a token present what was wrong with it (no quotes inside). */
function bearerChallenge(error: AuthError): string {
  if (!error.facts.tokenError) return 'Bearer realm="smn-gateway"';
  const description = error.message.replace(/["\\]/g, "'");
  return `Bearer realm="smn-gateway", error="${error.facts.tokenError}", error_description="${description}"`;
}

/** The HTTP status (and challenge) a refused caller is answered with, where the answer is an HTTP one. */
function authErrorHttp(error: AuthError): { status: number; headers?: Map<string, string> } | undefined {
  if (error.kind === 'unauthenticated') {
    return { status: 401, headers: new Map([['www-authenticate', bearerChallenge(error)]]) };
  }
  return error.kind === 'unavailable' ? { status: 503 } : undefined;
}

/**
 * A refused caller as Apollo Server needs it where it takes the HTTP status from the error (context
 * creation, a plugin's refusal, a resolver): a GraphQLError with the code, the facts and the `http`
 * extension (401 with its WWW-Authenticate challenge, 503).
 */
export function authGraphQLError(error: AuthError): GraphQLError {
  const http = authErrorHttp(error);
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { ...authErrorExtensions(error), ...(http && { http }) },
  });
}

/** Rethrows an AuthError as authGraphQLError, anything else as it is. */
export function rethrowForApollo(error: unknown): never {
  throw error instanceof AuthError ? authGraphQLError(error) : error;
}

/** The code an error is answered with when it is one we raise on purpose (for logs and metrics). */
export function expectedCodeOf(error: unknown): string | undefined {
  if (error instanceof GraphQLError)
    return typeof error.extensions.code === 'string' ? error.extensions.code : undefined;
  if (error instanceof AuthError) return AUTH_CODES[error.kind];
  if (error instanceof PolicyError) return error.code;
  if (error instanceof SmnError) return SMN_ERROR_CODES[error.kind];
  const refusal = refusalExtensions(error);
  return refusal && String(refusal.code);
}

/**
 * A refusal of a use case, as the API promises it (CampaignRefusal: BAD_USER_INPUT with the campaign's
 * status and the field at fault; CampaignLimitReached: the setting and its limit), or undefined when the
 * error is not one.
 */
export function refusalExtensions(error: unknown): Record<string, unknown> | undefined {
  if (error instanceof HistoryUnavailableError) return { code: ErrorCode.HISTORY_UNAVAILABLE };
  if (error instanceof CampaignLimitReached) {
    return { code: ErrorCode.CAMPAIGN_LIMIT_REACHED, setting: error.setting, limit: error.limit };
  }
  if (error instanceof WebhookRefusal) {
    return { code: ErrorCode.BAD_USER_INPUT, validationErrors: [{ field: error.field, message: error.message }] };
  }
  if (error instanceof CampaignRefusal) {
    return {
      code: ErrorCode.BAD_USER_INPUT,
      ...(error.status && { status: error.status }),
      ...(error.field && { validationErrors: [{ field: error.field, message: error.message }] }),
    };
  }
  return undefined;
}

/** An error we did not raise on purpose: a bug or an outage, masked in production. */
export function isUnexpected(original: unknown, formatted?: GraphQLFormattedError): boolean {
  if (original instanceof SmnError || original instanceof PolicyError) return false;
  if (original instanceof AuthError || refusalExtensions(original)) return false;
  return (
    !(original instanceof GraphQLError) &&
    (formatted?.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR) === ErrorCode.INTERNAL_SERVER_ERROR
  );
}

/** A token graphql-js's lexer describes by its kind and its text, as written by the caller. */
const TOKEN_TEXT = /\b(Name|Int|Float|String|BlockString) "(?:[^"\\]|\\.)*"/g;

/**
 * Messages from graphql-js that would repeat what the caller wrote (a literal it refuses prints the
 * literal), or say nothing useful.
 */
function withoutEcho(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  const node = error instanceof GraphQLError ? error.nodes?.[0] : undefined;
  if (code === ErrorCode.GRAPHQL_VALIDATION_FAILED && node && isLiteral(node)) {
    return { ...formatted, message: withoutValue(formatted.message) };
  }
  if (code === ErrorCode.GRAPHQL_PARSE_FAILED && formatted.message.includes('Maximum call stack size exceeded')) {
    return { ...formatted, message: 'Syntax Error: the document is nested too deeply to parse.' };
  }
  if (code === ErrorCode.GRAPHQL_PARSE_FAILED) {
    // The lexer names the token it stopped at with its text (`found Int "13812345678"`): kind only.
    return { ...formatted, message: formatted.message.replace(TOKEN_TEXT, '$1') };
  }
  return formatted;
}

/** graphql-js's "Did you mean ...?" (the schema's own names, which introspection would otherwise give away). */
const SUGGESTION = / ?Did you mean(.+?)\?$/;

function withoutSuggestion(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return SUGGESTION.test(formatted.message)
    ? { ...formatted, message: formatted.message.replace(SUGGESTION, '') }
    : formatted;
}

export interface ErrorFormatterOptions {
  readonly production: boolean;
  /** false (GRAPHQL_INTROSPECTION=false): no "Did you mean ...?" suggestions, which would leak the schema. */
  readonly suggestions: boolean;
}

export type ErrorFormatter = (given: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * Apollo's formatError, and the WebSocket path's (subscriptions.ts): the one place errors become what
 * clients see. SmnError and PolicyError get their promised codes and facts, a refused caller
 * (AuthError) and a use case's refusal (refusalExtensions) theirs; anything unexpected is masked in production so no
 * internals (or secrets) leak.
 */
export function createErrorFormatter(options: ErrorFormatterOptions): ErrorFormatter {
  return (given, error) => {
    const formatted = withoutEcho(options.suggestions ? given : withoutSuggestion(given), error);
    const original = unwrapResolverError(error);
    if (original instanceof SmnError || original instanceof PolicyError) {
      return {
        message: original.message,
        ...(formatted.locations && { locations: formatted.locations }),
        ...(formatted.path && { path: formatted.path }),
        extensions: original instanceof SmnError ? smnErrorExtensions(original) : policyErrorExtensions(original),
      };
    }
    const refusal = original instanceof AuthError ? authErrorExtensions(original) : refusalExtensions(original);
    if (refusal) {
      return withRegisteredDelivery({
        ...formatted,
        message: (original as Error).message,
        extensions: { ...formatted.extensions, ...refusal },
      });
    }
    // Unexpected errors are logged, with the request id, by the internalErrors plugin. The caller gets
    // the request id to quote, on every path: also when Apollo answers an error outside its pipeline.
    if (formatted.extensions?.code === ErrorCode.INTERNAL_SERVER_ERROR || isUnexpected(original, formatted)) {
      const requestId = currentRequestId();
      const extensions = { ...formatted.extensions, ...(requestId !== undefined && { requestId }) };
      if (!options.production) return { ...formatted, extensions };
      return {
        message: 'Internal server error',
        ...(formatted.path && { path: formatted.path }),
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, ...(requestId !== undefined && { requestId }) },
      };
    }
    return withRegisteredDelivery(formatted);
  };
}

/** A code that always means nothing was sent says so (`delivery: NOT_SENT`), wherever it was raised. */
function withRegisteredDelivery(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const code = formatted.extensions?.code;
  if (typeof code !== 'string' || formatted.extensions?.delivery !== undefined || !Object.hasOwn(ERROR_CODES, code)) {
    return formatted;
  }
  if (ERROR_CODES[code as ErrorCode].delivery !== 'NOT_SENT') return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, delivery: 'NOT_SENT' } };
}
