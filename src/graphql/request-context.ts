import type { IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import type { Authenticate } from '../auth/authenticate.js';
import { loggedCaller, type Caller } from '../auth/caller.js';
import type { DeliveryFeed } from '../deliveries/feed.js';
import type { PublishStats } from '../send/publish.js';
import type { SentMessages } from '../send/sent-messages.js';
import type { Campaigns } from '../campaigns/campaigns.js';
import type { Feed } from '../util/feed.js';
import { currentRequestId, requestIdFrom } from '../http/request-id.js';
import { inSpan } from '../observability/tracing.js';
import { rethrowForApollo } from './errors.js';

/** Per-request state, built once per operation (HTTP request or WebSocket subscribe) and handed to every resolver. */
export interface RequestContext {
  /** From X-Request-Id when the caller (or the federation router) sent a safe one; fresh otherwise. */
  readonly requestId: string;
  /** From the verified bearer token; undefined when the request carried none. */
  readonly caller: Caller | undefined;
  readonly logger: Logger;
  /** What a send did, filled in by the use case for the operation's log line and metrics. */
  readonly stats: PublishStats;
  /** How the operation's document was admitted (trusted-documents/), for its log line. */
  readonly admission: OperationAdmission;
  /** For subscriptions, whose `subscribe` has no resolver instance to hold them. */
  readonly deliveries?: {
    readonly sentMessages: Pick<SentMessages, 'request' | 'ownsRequest'>;
    readonly feed: Pick<DeliveryFeed, 'subscribe'>;
  };
  /** For the campaign subscription: the use cases and the update feed. */
  readonly campaigns?: {
    readonly campaigns: Pick<Campaigns, 'get'>;
    readonly updates: Pick<Feed<string>, 'subscribe'>;
    /** How long a stream waits for a finished campaign's delivery counts to settle (CAMPAIGN_UPDATES_SETTLE_SECONDS). */
    readonly settleMs: number;
  };
}

/** Filled in when the document is admitted: the trusted document's id, or that it was refused. */
export interface OperationAdmission {
  documentId?: string;
  refused?: boolean;
}

export type RequestContextSources = Pick<RequestContext, 'deliveries' | 'campaigns'>;

/** Builds an operation's context from its id, its caller and the logger of its transport. */
export type CreateRequestContext = (requestId: string, caller: Caller | undefined, logger: Logger) => RequestContext;

/**
 * The one place a request context is built, for both transports (HTTP: `httpRequestContext` below;
 * WebSocket: subscriptions.ts, with the caller of its connection_init): the request id and the caller
 * on every log line of the operation.
 */
export function requestContexts(sources: RequestContextSources): CreateRequestContext {
  return (requestId, caller, logger) => ({
    requestId,
    caller,
    logger: logger.child({ requestId, ...(caller && { caller: loggedCaller(caller) }) }),
    stats: {},
    admission: {},
    ...(sources.deliveries && { deliveries: sources.deliveries }),
    ...(sources.campaigns && { campaigns: sources.campaigns }),
  });
}

/**
 * The context of one HTTP request (Apollo's `context` function): the id of the request-id scope (or
 * from X-Request-Id), the caller from its Authorization header, then the one builder above.
 */
export function httpRequestContext(
  build: CreateRequestContext,
  authenticate: Authenticate,
  logger: Logger,
): (request: { req: IncomingMessage }) => Promise<RequestContext> {
  return async ({ req }) => {
    const requestId = currentRequestId() ?? requestIdFrom(req.headers);
    const caller = await inSpan('authenticate', {}, () => authenticate(req.headers, logger.child({ requestId }))).catch(
      rethrowForApollo,
    );
    return build(requestId, caller, logger);
  };
}
