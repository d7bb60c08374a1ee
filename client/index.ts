/**
 * The typed client for smn-gateway, the package `@smn-gateway/client` (client/package.json): HTTP
 * operations here, subscriptions in `@smn-gateway/client/subscriptions` (graphql-ws), webhook
 * verification in `@smn-gateway/client/webhooks`. `generated.ts` is produced by `npm run codegen` from
 * schema.graphql and operations/*.graphql; CI fails when it is stale.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { documentIdOf, operationNameOf } from './document-id.js';
import { readAnswer, type GraphQLAnswer } from './http-answer.js';
import {
  AddOptOutsDocument,
  AddPromotionCampaignRecipientsDocument,
  CreatePromotionCampaignDocument,
  PromotionCampaignDocument,
  SmsCatalogDocument,
  SmsTemplateDocument,
  type SmsCatalogQuery,
  type SmsCatalogQueryVariables,
  type SmsTemplateQuery,
  StartPromotionCampaignDocument,
  type CreatePromotionCampaignInput,
  type PromotionCampaignFieldsFragment,
  type PromotionCampaignQuery,
  OptOutsDocument,
  PromotionSmsRequestDocument,
  PublishPromotionSmsDocument,
  RemoveOptOutsDocument,
  type OptOutsInput,
  type OptOutsQuery,
  type PromotionSmsRequestQuery,
  type PublishPromotionSmsInput,
  type PublishPromotionSmsMutation,
  EraseEndpointHistoryDocument,
  OptOutHistoryDocument,
  SmsHistoryDocument,
  SmsStatsDocument,
  type OptOutHistoryQuery,
  type SmsHistoryQuery,
  type SmsHistoryQueryVariables,
  type SmsStatsQuery,
  type SmsStatsQueryVariables,
} from './generated.js';

export * from './generated.js';
export { documentIdOf } from './document-id.js';
export { verifyWebhook, type WebhookVerification, type WebhookVerifyOptions } from './webhooks.js';

/** Every `extensions.code` the service answers with, and what it means for the caller. */
export enum SmsGatewayErrorCode {
  /** An input rule failed; see `validationErrors`. Fix the input; nothing was sent. */
  BadUserInput = 'BAD_USER_INPUT',
  /** The operation itself is invalid (unknown field, too deep, two sends in one operation). */
  ValidationFailed = 'GRAPHQL_VALIDATION_FAILED',
  /** The document is not GraphQL. Fix the document. */
  ParseFailed = 'GRAPHQL_PARSE_FAILED',
  /** The request is malformed (not JSON, no query, CSRF rule) or on the wrong transport (a query or mutation over the WebSocket). */
  BadRequest = 'BAD_REQUEST',
  /** The operationName names no operation in the document. */
  OperationResolutionFailure = 'OPERATION_RESOLUTION_FAILURE',
  /** Automatic persisted queries are off: send the full document. */
  PersistedQueryNotSupported = 'PERSISTED_QUERY_NOT_SUPPORTED',
  /** The document id is not on the service's trusted list (or an automatic persisted query hash it has not seen). */
  PersistedQueryNotFound = 'PERSISTED_QUERY_NOT_FOUND',
  /** TRUSTED_DOCUMENTS=require and the full document sent is not listed: send it by id. */
  PersistedQueryNotAllowed = 'PERSISTED_QUERY_NOT_ALLOWED',
  /** The request body is too large: send a smaller batch. */
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  /** No valid bearer token. Sign in again. */
  Unauthenticated = 'UNAUTHENTICATED',
  /** The token lacks the scope (`requiredScopes`). */
  Forbidden = 'FORBIDDEN',
  /** The token could not be checked right now. Retry shortly. */
  AuthUnavailable = 'AUTH_UNAVAILABLE',
  /** Quota or outbound limit: retry after `retryAfterSeconds`. Nothing was sent. */
  RateLimited = 'RATE_LIMITED',
  /** The batch is larger than the whole quota (`maxRecipients`): split it; waiting does not help. */
  QuotaExceeded = 'QUOTA_EXCEEDED',
  /** Outside the promotional hours: retry at `nextAllowedAt`. Nothing was sent. */
  OutsideSendWindow = 'OUTSIDE_SEND_WINDOW',
  /** The idempotency key was used with another input. Use a new key. */
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  /** A campaign bound (`setting`: open campaigns per tenant, or the memory recipient budget): nothing created or added. */
  CampaignLimitReached = 'CAMPAIGN_LIMIT_REACHED',
  /** Shared state is down, so nothing was sent. Retry shortly. */
  StateUnavailable = 'STATE_UNAVAILABLE',
  /** Shared state was lost (Redis came back empty): nothing sent until an operator restores or accepts it. Do not retry in a loop. */
  StateLost = 'STATE_LOST',
  /** Shared state is full (Redis out of memory), so nothing was sent. Retry later, same key. */
  StateFull = 'STATE_FULL',
  /** SMN refused the request (see `smn.code`). Nothing was sent. */
  SmnRejected = 'SMN_REJECTED',
  /** SMN throttled the call. Retry after `retryAfterSeconds`. */
  SmnRateLimited = 'SMN_RATE_LIMITED',
  /** SMN unreachable or failed; if `delivery` is UNKNOWN it may have been sent: check before resending. */
  SmnUnavailable = 'SMN_UNAVAILABLE',
  /** The send history is not enabled on this deployment (smsHistory, smsStats, optOutHistory, eraseEndpointHistory). Do not retry. */
  HistoryDisabled = 'HISTORY_DISABLED',
  HistoryUnavailable = 'HISTORY_UNAVAILABLE',
  /** A bug or outage on the service's side; quote `requestId`. */
  InternalServerError = 'INTERNAL_SERVER_ERROR',
  /**
   * Client-side only (the service never sends it): the answer was not GraphQL, e.g. a proxy's HTML 502,
   * an empty 503, a non-JSON 200; `httpStatus` says which. `delivery` is UNKNOWN: check before resending.
   * (A proxy's 413 or 429 becomes PAYLOAD_TOO_LARGE or RATE_LIMITED with `delivery: NOT_SENT`.)
   */
  UnexpectedResponse = 'UNEXPECTED_RESPONSE',
  /**
   * Client-side only, subscriptions only: the WebSocket could not be opened or was lost (after the
   * retries); `closeCode` says how it closed, when it did. Over HTTP a network failure rejects instead.
   */
  ConnectionFailed = 'CONNECTION_FAILED',
}

/** The codes of `SmsGatewayErrorCode` the client gives itself; every other one is the service's. */
export const CLIENT_ERROR_CODES: readonly SmsGatewayErrorCode[] = [
  SmsGatewayErrorCode.UnexpectedResponse,
  SmsGatewayErrorCode.ConnectionFailed,
];

/**
 * The `SmsFailed.code` values the service gives itself. `code` may also be one of SMN's codes by name
 * (`SMN_0167`) or `OTHER`; SMN's raw code is then in `smnCode` (e.g. `SMN.0167`).
 */
export enum SmsFailedCode {
  /** SMN returned no result for this number (it was in the call). */
  NoResult = 'NO_RESULT',
  /** Held back: the number opted out (see `addOptOuts`). Not sent. */
  OptedOut = 'OPTED_OUT',
  /** Held back: the number had its messages for today. Not sent; try tomorrow. */
  DailyLimitReached = 'DAILY_LIMIT_REACHED',
}

export interface SmsGatewayError {
  readonly code: SmsGatewayErrorCode;
  readonly message: string;
  readonly httpStatus: number;
  /** NOT_SENT: safe to retry. UNKNOWN: the messages may have gone out. */
  readonly delivery?: 'NOT_SENT' | 'UNKNOWN';
  readonly retryAfterSeconds?: number;
  readonly nextAllowedAt?: string;
  readonly validationErrors?: ReadonlyArray<{ field: string; message: string }>;
  readonly replayed?: boolean;
  readonly requestId?: string;
  /** CONNECTION_FAILED: the WebSocket's close code, when it closed. */
  readonly closeCode?: number;
}

export type PromotionSmsPayload = PublishPromotionSmsMutation['publishPromotionSms'];
export type SmsResult = PromotionSmsPayload['results'][number];
export type SmsSentResult = Extract<SmsResult, { __typename: 'SmsSent' }>;
export type SmsFailedResult = Extract<SmsResult, { __typename: 'SmsFailed' }>;

export type SendPromotionSmsResult =
  | {
      readonly ok: true;
      readonly payload: PromotionSmsPayload;
      /** The results narrowed by `__typename`, in input order. */
      readonly sent: SmsSentResult[];
      readonly failed: SmsFailedResult[];
    }
  | { readonly ok: false; readonly error: SmsGatewayError };

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. https://sms.example.com/graphql */
  readonly url: string;
  /** Bearer token (needs the scope `sms:promotion:send` to send). */
  readonly token?: string;
  /** Correlates your logs with the service's. */
  readonly requestId?: string;
  readonly signal?: AbortSignal;
  readonly fetch?: typeof fetch;
  /**
   * Send each operation's full text (`{ query, variables }`) instead of its trusted-document id. By
   * default the client sends `{ documentId: 'sha256:<hex>', variables, operationName }` (the id is
   * `documentIdOf(document)`, the manifest the service's build lists), and falls back to the text
   * only when the service does not list the id (see `request`).
   */
  readonly sendDocumentText?: boolean;
}

type Response<TData> = GraphQLAnswer<TData>;

type GraphQLErrors = Response<unknown>['errors'];

function hasCode(errors: GraphQLErrors, code: SmsGatewayErrorCode): boolean {
  return (errors ?? []).some((error) => error.extensions?.['code'] === code);
}

async function post<TData>(body: Record<string, unknown>, options: ClientOptions): Promise<Response<TData>> {
  const response = await (options.fetch ?? fetch)(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token && { authorization: `Bearer ${options.token}` }),
      ...(options.requestId && { 'x-request-id': options.requestId }),
    },
    body: JSON.stringify(body),
    ...(options.signal && { signal: options.signal }),
  });
  // Only a failure to read the body (the network) rejects; any body is an answer (http-answer.ts).
  return readAnswer<TData>(response, await response.text());
}

/**
 * Runs any typed operation from generated.ts. Resolves with the service's answer, or, for an answer
 * that is not GraphQL (a proxy's HTML 502, an empty 503), one error UNEXPECTED_RESPONSE (a proxy's 413 or
 * 429: PAYLOAD_TOO_LARGE or RATE_LIMITED) with `httpStatus`; only a network failure rejects.
 *
 * By default it names the document by its trusted-document id, `{ documentId: 'sha256:<hex>',
 * variables, operationName }`, the id being the SHA-256 of `print(document)` (`documentIdOf`), as the
 * service's built manifest (dist/trusted-documents.json) lists it: a service with
 * TRUSTED_DOCUMENTS=require runs only listed documents. When the service answers the id with
 * PERSISTED_QUERY_NOT_FOUND (it does not list it: trusted documents are off, or its manifest is older
 * than this client), nothing ran, so the request is sent once more with the full text; if that is
 * refused with PERSISTED_QUERY_NOT_ALLOWED (the service requires listed documents), the first answer
 * (PERSISTED_QUERY_NOT_FOUND, which says what is wrong: this operation is not on the service's list)
 * is returned. With `sendDocumentText: true` only the full text is sent, `{ query, variables }`, as
 * before trusted documents.
 */
export async function request<TData, TVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  options: ClientOptions,
): Promise<Response<TData>> {
  const operationName = operationNameOf(document);
  const named = operationName === undefined ? {} : { operationName };
  const asText = () => post<TData>({ query: print(document), variables }, options);
  if (options.sendDocumentText) return asText();
  const byId = await post<TData>(
    { documentId: `sha256:${await documentIdOf(document)}`, variables, ...named },
    options,
  );
  if (byId.data || !hasCode(byId.errors, SmsGatewayErrorCode.PersistedQueryNotFound)) return byId;
  const byText = await asText();
  return hasCode(byText.errors, SmsGatewayErrorCode.PersistedQueryNotAllowed) ? byId : byText;
}

/** The typed error of an answer's first GraphQL error (or of an answer with neither data nor errors). */
export function toError(
  status: number,
  error: { message: string; extensions?: Record<string, unknown> },
): SmsGatewayError {
  const { code, ...details } = error.extensions ?? {};
  return {
    ...(details as Partial<SmsGatewayError>),
    code: typeof code === 'string' ? (code as SmsGatewayErrorCode) : SmsGatewayErrorCode.UnexpectedResponse,
    message: error.message,
    httpStatus: status,
  };
}

/**
 * Sends one batch. Never throws for an answer the service gave: `ok: false` carries the typed error
 * (only network failures reject). Pass `idempotencyKey` in the input to make retrying safe.
 */
export async function sendPromotionSms(
  input: PublishPromotionSmsInput,
  options: ClientOptions,
): Promise<SendPromotionSmsResult> {
  const response = await request(PublishPromotionSmsDocument, { input }, options);
  const [error] = response.errors ?? [];
  if (error || !response.data) {
    return { ok: false, error: toError(response.status, error ?? { message: 'No data in the response' }) };
  }
  const payload = response.data.publishPromotionSms;
  const sent = payload.results.filter((result): result is SmsSentResult => result.__typename === 'SmsSent');
  const failed = payload.results.filter((result): result is SmsFailedResult => result.__typename === 'SmsFailed');
  return { ok: true, payload, sent, failed };
}

/** An answer, or the typed error the service gave (only network failures reject). */
export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SmsGatewayError };

async function run<TData, TVariables, T>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  options: ClientOptions,
  pick: (data: TData) => T,
): Promise<Result<T>> {
  const response = await request(document, variables, options);
  const [error] = response.errors ?? [];
  if (error || !response.data) {
    return { ok: false, error: toError(response.status, error ?? { message: 'No data in the response' }) };
  }
  return { ok: true, value: pick(response.data) };
}

/** Numbers that must never again receive promotional SMS (scope `sms:optout:write`). */
export function addOptOuts(input: OptOutsInput, options: ClientOptions) {
  return run(AddOptOutsDocument, { input }, options, (data) => data.addOptOuts);
}

/** Numbers that opted back in (scope `sms:optout:write`). */
export function removeOptOuts(input: OptOutsInput, options: ClientOptions) {
  return run(RemoveOptOutsDocument, { input }, options, (data) => data.removeOptOuts);
}

/** Whether each number is opted out, in the given order (scope `sms:read`). */
export function optOuts(endpoints: string[], options: ClientOptions): Promise<Result<OptOutsQuery['optOuts']>> {
  return run(OptOutsDocument, { endpoints }, options, (data) => data.optOuts);
}

/** One send's messages and their delivery (scope `sms:read`); `value` is null when unknown or not yours. */
export function promotionSmsRequest(
  requestId: string,
  options: ClientOptions,
): Promise<Result<PromotionSmsRequestQuery['promotionSmsRequest']>> {
  return run(PromotionSmsRequestDocument, { requestId }, options, (data) => data.promotionSmsRequest);
}

/** Numbers per addPromotionCampaignRecipients call (the service's limit). */
export const CAMPAIGN_RECIPIENTS_PER_CALL = 10_000;

export interface CampaignLaunch {
  readonly campaign: PromotionCampaignFieldsFragment;
  /** Numbers skipped as invalid (with `skipInvalid`), summed over the calls. */
  readonly invalid: number;
  readonly duplicatesRemoved: number;
}

/**
 * Creates a campaign, adds `endpoints` in calls of 10,000 and starts it (scope `sms:promotion:send`).
 * Give `input.idempotencyKey` to make retrying the whole launch safe: a retried create returns the same
 * campaign, and a campaign already started is answered with BAD_USER_INPUT (status RUNNING), not sent twice.
 */
export async function launchPromotionCampaign(
  input: CreatePromotionCampaignInput,
  endpoints: readonly string[],
  options: ClientOptions & { readonly skipInvalid?: boolean },
): Promise<Result<CampaignLaunch>> {
  const created = await run(
    CreatePromotionCampaignDocument,
    { input },
    options,
    (data) => data.createPromotionCampaign,
  );
  if (!created.ok) return created;
  const campaignId = created.value.id;
  let invalid = 0;
  let duplicatesRemoved = 0;
  for (let start = 0; start < endpoints.length; start += CAMPAIGN_RECIPIENTS_PER_CALL) {
    const added = await run(
      AddPromotionCampaignRecipientsDocument,
      {
        input: {
          campaignId,
          endpoints: endpoints.slice(start, start + CAMPAIGN_RECIPIENTS_PER_CALL),
          skipInvalid: options.skipInvalid ?? false,
        },
      },
      options,
      (data) => data.addPromotionCampaignRecipients,
    );
    if (!added.ok) return added;
    invalid += added.value.invalid;
    duplicatesRemoved += added.value.duplicatesRemoved;
  }
  const started = await run(
    StartPromotionCampaignDocument,
    { id: campaignId },
    options,
    (data) => data.startPromotionCampaign,
  );
  if (!started.ok) return started;
  return { ok: true, value: { campaign: started.value, invalid, duplicatesRemoved } };
}

/** A campaign with its first page of failures (scope `sms:read`); `value` is null when unknown or not yours. */
export function promotionCampaign(
  id: string,
  options: ClientOptions,
): Promise<Result<PromotionCampaignQuery['promotionCampaign']>> {
  return run(PromotionCampaignDocument, { id }, options, (data) => data.promotionCampaign);
}

/** SMN's templates (a page, optionally filtered by name) and signatures, to offer in a picker (scope `sms:read`). */
export function smsCatalog(
  variables: SmsCatalogQueryVariables,
  options: ClientOptions,
): Promise<Result<SmsCatalogQuery>> {
  return run(SmsCatalogDocument, variables, options, (data) => data);
}

/** One SMS template by id (scope `sms:read`); `value` is null when SMN does not know it. */
export function smsTemplate(id: string, options: ClientOptions): Promise<Result<SmsTemplateQuery['smsTemplate']>> {
  return run(SmsTemplateDocument, { id }, options, (data) => data.smsTemplate);
}

/**
 * One page of sent messages, newest first (scope `sms:history:read`). Pass `pageInfo.endCursor` as
 * `after` for the next. `HISTORY_DISABLED` when the deployment keeps no history.
 */
export function smsHistory(
  variables: SmsHistoryQueryVariables,
  options: ClientOptions,
): Promise<Result<SmsHistoryQuery['smsHistory']>> {
  return run(SmsHistoryDocument, variables, options, (data) => data.smsHistory);
}

/** Counts per hour, day, template or campaign for a time range (scope `sms:history:read`). */
export function smsStats(
  variables: SmsStatsQueryVariables,
  options: ClientOptions,
): Promise<Result<SmsStatsQuery['smsStats']>> {
  return run(SmsStatsDocument, variables, options, (data) => data.smsStats);
}

/** Every opt-out change of one number, oldest first (scope `sms:read`). */
export function optOutHistory(
  endpoint: string,
  options: ClientOptions,
): Promise<Result<OptOutHistoryQuery['optOutHistory']>> {
  return run(OptOutHistoryDocument, { endpoint }, options, (data) => data.optOutHistory);
}

/** Erases a number from your tenant's history; its opt-out is kept (scope `sms:erase`). */
export function eraseEndpointHistory(endpoint: string, options: ClientOptions) {
  return run(EraseEndpointHistoryDocument, { endpoint }, options, (data) => data.eraseEndpointHistory);
}
