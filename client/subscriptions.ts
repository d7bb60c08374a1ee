/**
 * Subscriptions over the WebSocket (graphql-ws, an optional peer dependency: install it to use this
 * module, `@smn-gateway/client/subscriptions`). The token travels in `connection_init`
 * (`{ authorization: 'Bearer ...' }`), documents by their trusted-document id as over HTTP, and every
 * refusal, error or lost connection reaches `handlers.error` as a typed SmsGatewayError.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client, type SubscribePayload } from 'graphql-ws/client';
import { documentIdOf, operationNameOf } from './document-id.js';
import {
  PromotionCampaignUpdatesDocument,
  SmsDeliveryUpdatesDocument,
  type PromotionCampaignUpdatesSubscription,
  type SmsDeliveryUpdatesSubscription,
} from './generated.js';
import { SmsGatewayErrorCode, toError, type SmsGatewayError } from './index.js';

/** `httpStatus` of the errors that come over the WebSocket (there is no HTTP status per operation). */
export const WEBSOCKET_STATUS = 0;

export interface ConnectionOptions {
  /** The GraphQL endpoint, http(s):// or ws(s)://, e.g. https://sms.example.com/graphql */
  readonly url: string;
  /** Bearer token (scope `sms:read`), sent in `connection_init`. */
  readonly token?: string;
  /** A WebSocket implementation where there is no global one (Node 20: `import WebSocket from 'ws'`). */
  readonly webSocketImpl?: unknown;
  /** Reconnections after a lost connection before `error` (CONNECTION_FAILED); default 5. */
  readonly retryAttempts?: number;
}

export type SubscriptionOptions = (ConnectionOptions | { readonly client: Client }) & {
  /** Send the document's text instead of its trusted-document id (as `ClientOptions.sendDocumentText`). */
  readonly sendDocumentText?: boolean;
};

export interface SubscriptionHandlers<T> {
  /** Each update, typed. */
  next(value: T): void;
  /** The subscription ended with this error (refused, failed, or the connection lost); no more calls. */
  error?(error: SmsGatewayError): void;
  /** The service ended the subscription; no more calls. */
  complete?(): void;
}

/** Ends the subscription (and closes its connection when it has its own); no handler is called after. */
export type Unsubscribe = () => void;

interface CloseEventLike {
  readonly code: number;
  readonly reason: string;
}

function isCloseEvent(value: unknown): value is CloseEventLike {
  return typeof value === 'object' && value !== null && typeof (value as CloseEventLike).code === 'number';
}

type GraphQLErrorList = ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;

function isErrorList(value: unknown): value is GraphQLErrorList {
  return Array.isArray(value) && value.length > 0 && value.every((error) => typeof error?.message === 'string');
}

const hasCode = (errors: GraphQLErrorList, code: SmsGatewayErrorCode) =>
  errors.some((error) => error.extensions?.['code'] === code);

/** graphql-ws close codes (and the WebSocket's own 1009) as the service's error codes. */
const CLOSE_CODES: Readonly<Record<number, SmsGatewayErrorCode>> = {
  1009: SmsGatewayErrorCode.PayloadTooLarge,
  4400: SmsGatewayErrorCode.BadRequest,
  4401: SmsGatewayErrorCode.BadRequest,
  4403: SmsGatewayErrorCode.Unauthenticated,
  4406: SmsGatewayErrorCode.BadRequest,
  4408: SmsGatewayErrorCode.BadRequest,
  4409: SmsGatewayErrorCode.BadRequest,
  4429: SmsGatewayErrorCode.BadRequest,
  4500: SmsGatewayErrorCode.InternalServerError,
};

/** What graphql-ws hands the error sink (a list of GraphQL errors, a close event, an Error) as a typed error. */
function errorOf(error: unknown): SmsGatewayError {
  if (isErrorList(error)) return toError(WEBSOCKET_STATUS, error[0]!);
  if (isCloseEvent(error)) {
    const code = CLOSE_CODES[error.code] ?? SmsGatewayErrorCode.ConnectionFailed;
    const reason = error.reason ? `: ${error.reason}` : '';
    const message =
      code === SmsGatewayErrorCode.Unauthenticated
        ? `The service refused the connection (${error.code}${reason}): no valid token, or the token could not be checked`
        : `The WebSocket closed (${error.code}${reason})`;
    return { code, message, httpStatus: WEBSOCKET_STATUS, closeCode: error.code };
  }
  const message = error instanceof Error ? error.message : 'The WebSocket failed';
  return { code: SmsGatewayErrorCode.ConnectionFailed, message, httpStatus: WEBSOCKET_STATUS };
}

/**
 * A graphql-ws client for the service: the token in `connection_init`, no retry once the service
 * refused the token (4403). Share one between subscriptions with `{ client }`; dispose it yourself.
 */
export function createSubscriptionClient(options: ConnectionOptions): Client {
  return createClient({
    url: options.url.replace(/^http/, 'ws'),
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : {},
    retryAttempts: options.retryAttempts ?? 5,
    shouldRetry: (error) => isCloseEvent(error) && error.code !== 4403,
    ...(options.webSocketImpl !== undefined && { webSocketImpl: options.webSocketImpl }),
  });
}

/**
 * Subscribes to any typed subscription from generated.ts; `pick` takes the value out of each update.
 * By default the document goes by its id (`{ documentId: 'sha256:<hex>', query: '' }`); when the
 * service does not list it (PERSISTED_QUERY_NOT_FOUND) the text is sent once more, and if that is
 * refused as not allowed the first error is reported, as `request` does over HTTP.
 */
export function subscribe<TData, TVariables extends Record<string, unknown>, T>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  pick: (data: TData) => T,
  handlers: SubscriptionHandlers<T>,
  options: SubscriptionOptions,
): Unsubscribe {
  const own = 'client' in options ? undefined : createSubscriptionClient(options);
  const client = 'client' in options ? options.client : own!;
  const operationName = operationNameOf(document);
  const named = operationName === undefined ? {} : { operationName };
  let stop: (() => void) | undefined;
  let done = false;
  const finish = () => {
    done = true;
    stop?.();
    void own?.dispose();
  };
  const fail = (error: SmsGatewayError) => {
    if (done) return;
    finish();
    handlers.error?.(error);
  };
  /** Subscribes with `payload`; `refused` may take a refusal over (true) instead of reporting it. */
  const start = (payload: Record<string, unknown>, refused?: (errors: GraphQLErrorList) => boolean) => {
    stop = client.subscribe<TData>(payload as unknown as SubscribePayload, {
      next: (result) => {
        if (done) return;
        const [error] = result.errors ?? [];
        if (error || !result.data) {
          fail(toError(WEBSOCKET_STATUS, error ?? { message: 'An update without data' }));
          return;
        }
        handlers.next(pick(result.data));
      },
      error: (error) => {
        if (done || (isErrorList(error) && refused?.(error))) return;
        fail(errorOf(error));
      },
      complete: () => {
        if (done) return;
        finish();
        handlers.complete?.();
      },
    });
  };
  const byText = (refused?: (errors: GraphQLErrorList) => boolean) =>
    start({ query: print(document), variables, ...named }, refused);

  if (options.sendDocumentText) byText();
  else {
    documentIdOf(document).then(
      (id) => {
        if (done) return;
        start({ documentId: `sha256:${id}`, query: '', variables, ...named }, (errors) => {
          if (!hasCode(errors, SmsGatewayErrorCode.PersistedQueryNotFound)) return false;
          byText((textErrors) => {
            if (!hasCode(textErrors, SmsGatewayErrorCode.PersistedQueryNotAllowed)) return false;
            fail(toError(WEBSOCKET_STATUS, errors[0]!));
            return true;
          });
          return true;
        });
      },
      // No Web Crypto (a browser page not served over https): the text, as with sendDocumentText.
      () => done || byText(),
    );
  }
  return () => {
    if (!done) finish();
  };
}

export type SmsDeliveryUpdate = SmsDeliveryUpdatesSubscription['smsDeliveryUpdates'];
export type PromotionCampaignUpdate = PromotionCampaignUpdatesSubscription['promotionCampaignUpdates'];

/** Each change of delivery status of a message of the send `requestId` (scope `sms:read`). */
export function subscribeToDeliveries(
  requestId: string,
  handlers: SubscriptionHandlers<SmsDeliveryUpdate>,
  options: SubscriptionOptions,
): Unsubscribe {
  return subscribe(SmsDeliveryUpdatesDocument, { requestId }, (data) => data.smsDeliveryUpdates, handlers, options);
}

/** The campaign after each batch and each status change (scope `sms:read`). */
export function subscribeToCampaign(
  id: string,
  handlers: SubscriptionHandlers<PromotionCampaignUpdate>,
  options: SubscriptionOptions,
): Unsubscribe {
  return subscribe(
    PromotionCampaignUpdatesDocument,
    { id },
    (data) => data.promotionCampaignUpdates,
    handlers,
    options,
  );
}
