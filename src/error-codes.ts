/**
 * Every `extensions.code` this service can answer, in one place (as Apollo's ApolloServerErrorCode):
 * the HTTP status it usually comes with, whether anything may have been sent, and one line for the
 * caller. Producers import the codes from here; the typed client's SmsGatewayErrorCode and the error
 * table in docs/api.md are checked against this registry by test/error-codes.test.ts.
 */
export interface ErrorCodeInfo {
  /**
   * The HTTP status when this error is the whole answer. Errors raised while resolving a field
   * (input rules, policy, SMN) come in a 200 answer with `data: null`, like any GraphQL field error.
   */
  readonly httpStatus: number;
  /** NOT_SENT: nothing reached SMN. UNKNOWN: it may have. SEE_EXTENSIONS: `extensions.delivery` says which. */
  readonly delivery: 'NOT_SENT' | 'UNKNOWN' | 'SEE_EXTENSIONS';
  /** What happened and what the caller should do. */
  readonly meaning: string;
}

export const ERROR_CODES = {
  BAD_USER_INPUT: {
    httpStatus: 400,
    delivery: 'NOT_SENT',
    meaning: 'An input rule failed; `validationErrors` lists each field. Fix them and send again.',
  },
  GRAPHQL_PARSE_FAILED: {
    httpStatus: 400,
    delivery: 'NOT_SENT',
    meaning: 'The document is not GraphQL (or is nested too deeply to parse). Fix the document.',
  },
  GRAPHQL_VALIDATION_FAILED: {
    httpStatus: 400,
    delivery: 'NOT_SENT',
    meaning: 'The operation is invalid: unknown field, too deep, too many aliases, two sends. Fix the document.',
  },
  BAD_REQUEST: {
    httpStatus: 400,
    delivery: 'NOT_SENT',
    meaning:
      'The request is malformed (not JSON, no query, CSRF rule) or on the wrong transport (a subscription over HTTP, a query or mutation over the WebSocket). Fix the request.',
  },
  OPERATION_RESOLUTION_FAILURE: {
    httpStatus: 400,
    delivery: 'NOT_SENT',
    meaning: 'The operationName names no operation in the document. Fix the request.',
  },
  // Apollo's automatic persisted queries answer with HTTP 200: the APQ protocol's clients (Apollo
  // Client's link, routers) read the code and send the full document next.
  PERSISTED_QUERY_NOT_SUPPORTED: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning: 'Automatic persisted queries are off (GRAPHQL_PERSISTED_QUERIES). Send the full document.',
  },
  // HTTP 400 for a trusted-document id the service does not know; 200 only from automatic persisted
  // queries (GRAPHQL_PERSISTED_QUERIES=true with TRUSTED_DOCUMENTS off or allow), as that protocol has it.
  PERSISTED_QUERY_NOT_FOUND: {
    httpStatus: 400,
    delivery: 'NOT_SENT',
    meaning:
      'The document id (documentId, or the persistedQuery hash) is not on the trusted list. Ship the manifest that lists it, or send the full document where that is allowed.',
  },
  PERSISTED_QUERY_NOT_ALLOWED: {
    httpStatus: 400,
    delivery: 'NOT_SENT',
    meaning:
      'TRUSTED_DOCUMENTS=require: only listed documents run. Send a listed document by its id, or use a token with the ad-hoc scope.',
  },
  PAYLOAD_TOO_LARGE: {
    httpStatus: 413,
    delivery: 'NOT_SENT',
    meaning: 'The request body is over GRAPHQL_MAX_BODY_BYTES. Send a smaller batch.',
  },
  UNAUTHENTICATED: {
    httpStatus: 401,
    delivery: 'NOT_SENT',
    meaning: 'No valid bearer token (WWW-Authenticate says why). Get a fresh token.',
  },
  FORBIDDEN: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning: 'The token lacks the scope the field needs (`requiredScopes`). Ask for it; do not retry.',
  },
  AUTH_UNAVAILABLE: {
    httpStatus: 503,
    delivery: 'NOT_SENT',
    meaning: 'The token could not be checked: the JWKS is out of reach. Retry in a few seconds.',
  },
  RATE_LIMITED: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning: "The caller's recipient quota is used up, or too many SMN calls wait. Retry after `retryAfterSeconds`.",
  },
  QUOTA_EXCEEDED: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning:
      "The batch has more recipients than the caller's whole per-minute or per-day quota: it can never pass as it is. Split it; waiting does not help.",
  },
  OUTSIDE_SEND_WINDOW: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning: 'Outside the promotional send window. Send at `nextAllowedAt`.',
  },
  IDEMPOTENCY_KEY_REUSED: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning: 'The idempotencyKey was used with a different input. Use a new key for a new batch.',
  },
  CAMPAIGN_LIMIT_REACHED: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning:
      'A campaign bound was reached (`setting`: CAMPAIGN_MAX_OPEN_PER_TENANT or CAMPAIGN_MEMORY_MAX_RECIPIENTS, with its `limit`); nothing was created or added. Retry once a campaign finishes.',
  },
  STATE_UNAVAILABLE: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning: 'Shared state is out of reach, so no idempotency or quota guarantee. Retry shortly, same key.',
  },
  STATE_LOST: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning:
      'Shared state was lost (Redis restarted empty, was flushed or failed over to an empty node): opt-outs and idempotency records may be gone, so nothing is sent, no opt-out is changed and campaigns wait until an operator restores the backup or accepts the loss (`state accept-loss`).',
  },
  STATE_FULL: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning:
      'Shared state is full (Redis answered OOM at its maxmemory), so nothing was sent. An operator must free or add memory; retry later, same key.',
  },
  SMN_REJECTED: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning: 'SMN refused the request (4xx; `smn.code` says why). Fix what it names; unchanged it fails again.',
  },
  SMN_RATE_LIMITED: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning: 'SMN throttled the call. Retry after `retryAfterSeconds`.',
  },
  SMN_UNAVAILABLE: {
    httpStatus: 200,
    delivery: 'SEE_EXTENSIONS',
    meaning: 'SMN unreachable or failed. NOT_SENT: retry later. UNKNOWN: it may have been sent; check first.',
  },
  HISTORY_DISABLED: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning:
      'The send history is not enabled on this deployment (HISTORY_DATABASE_URL unset): smsHistory, smsStats, optOutHistory and eraseEndpointHistory answer nothing. Ask an operator; retrying does not help.',
  },
  HISTORY_UNAVAILABLE: {
    httpStatus: 200,
    delivery: 'NOT_SENT',
    meaning:
      'The history database (PostgreSQL) cannot be reached right now, or is still starting: nothing was read or erased. Sends are not affected; their history is written once it is back. Retry later.',
  },
  INTERNAL_SERVER_ERROR: {
    httpStatus: 500,
    delivery: 'UNKNOWN',
    meaning: 'A failure on our side. Quote `requestId` to the operators.',
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * The `SmsFailed.code` values this service gives itself (every other one is SMN's, e.g. `SMN.0167`).
 * Checked against the typed client's SmsFailedCode and docs/api.md by test/error-codes.test.ts.
 */
export const RESULT_CODES = {
  NO_RESULT: 'SMN returned no result for this number (it was in the call).',
  OPTED_OUT: 'Held back: the number opted out of promotional SMS. Not sent, not charged to any quota.',
  DAILY_LIMIT_REACHED: 'Held back: the number had its PER_NUMBER_DAILY_LIMIT messages today. Not sent.',
} as const;

export type ResultCode = keyof typeof RESULT_CODES;

export const ResultCode = Object.freeze(Object.fromEntries(Object.keys(RESULT_CODES).map((code) => [code, code]))) as {
  readonly [K in ResultCode]: K;
};

/** The codes by name, for producers: `ErrorCode.RATE_LIMITED`. */
export const ErrorCode = Object.freeze(Object.fromEntries(Object.keys(ERROR_CODES).map((code) => [code, code]))) as {
  readonly [K in ErrorCode]: K;
};

/**
 * SMN's per-number codes (an Sms_commit_result's `code`) the API names in its `SmsFailedCode` enum:
 * `SMN.0167` is `SMN_0167` (GraphQL enum values cannot hold a dot). Any other SMN code is `OTHER`, its
 * raw value in `smnCode`; naming one more is an additive change.
 */
export const SMN_RESULT_CODES = {
  'SMN.0057': "The number's sending frequency limit is exceeded.",
  'SMN.0167': 'The phone number does not exist.',
} as const;

/** The enum value naming a raw SMN or API gateway code: `SMN.0167` is `SMN_0167`. */
export function smnCodeName(raw: string): string {
  return raw.replace('.', '_');
}

/** An SMN or API gateway code (`SMN.0162`, `APIG.0308`) at the start of a message, as pause reasons carry it. */
export const SMN_CODE_PREFIX = /^((?:SMN|APIG|APIGW)\.\d{1,8})(?::|$)/;
