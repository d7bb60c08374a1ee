import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { unwrapResolverError } from '@apollo/server/errors';
import {
  execute,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  subscribe,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { Authenticate } from '../auth/authenticate.js';
import type { Caller } from '../auth/caller.js';
import type { GraphqlConfig } from '../config/types.js';
import { ErrorCode } from '../error-codes.js';
import { runWithRequestId } from '../http/request-id.js';
import type { Metrics } from '../observability/metrics.js';
import { connectionAuthorization } from './connection-authorization.js';
import { createErrorFormatter } from './errors.js';
import { documentParser, formatForClient } from './operation-pipeline.js';
import { logUnexpected } from './plugins/internal-errors.js';
import { statingNotSent } from './plugins/not-sent-before-execution.js';
import { outcomeOf, recordOperation, recordRefusedCaller } from './plugins/operation-log.js';
import { operationResolutionFailure } from './plugins/operation-resolution.js';
import { tokenlessRefusal } from './plugins/require-authentication.js';
import { variableError } from './plugins/variable-errors.js';
import type { CreateRequestContext, RequestContext } from './request-context.js';
import type { Admit, DocumentRequest } from './trusted-documents/admission.js';

/** Subscriptions one connection may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;
/** A graphql-ws message is small; nothing legitimate comes near this. */
const MAX_MESSAGE_BYTES = 64 * 1024;
const KEEP_ALIVE_MS = 12_000;

export interface SubscriptionServerOptions {
  readonly schema: GraphQLSchema;
  readonly authenticate: Authenticate;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly graphql: GraphqlConfig;
  readonly production: boolean;
  readonly createContext: CreateRequestContext;
  /** Which document a subscribe message runs (trusted-documents/admission.ts); any when absent. */
  readonly admit?: Admit;
}

export interface SubscriptionServer {
  /** Completes an upgrade the HTTP layer has admitted (origin, connection caps: http/websocket-upgrades.ts). */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

/** One subscribe message, from its arrival to its end. */
interface Operation {
  readonly context: RequestContext;
  readonly started: number;
  document?: DocumentNode;
  operation?: OperationDefinitionNode;
  /** Set once execution started: errors from then on are the operation's own, not a refusal. */
  executing: boolean;
}

/** What a subscribe message says about its document (as the HTTP body says it: trusted-documents/apollo.ts). */
function documentRequestOf(payload: SubscribePayload): DocumentRequest {
  const { extensions } = payload;
  const persistedQuery = extensions?.persistedQuery as { sha256Hash?: unknown } | null | undefined;
  return {
    documentId: (payload as { documentId?: unknown }).documentId,
    persistedQueryHash:
      typeof persistedQuery === 'object' && persistedQuery !== null ? persistedQuery.sha256Hash : undefined,
    query: payload.query === '' ? undefined : payload.query,
  };
}

function tooMany(): GraphQLError {
  return new GraphQLError(
    `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection; open another or complete one.`,
    { extensions: { code: ErrorCode.BAD_REQUEST } },
  );
}

/** The WebSocket counterpart of plugins/subscriptions-over-websocket.ts (GRAPHQL_WS_OPERATIONS=subscriptions). */
function httpOnly(): GraphQLError {
  return new GraphQLError(
    'Queries and mutations run over HTTP on this path, not over the WebSocket (it runs subscriptions only).',
    { extensions: { code: ErrorCode.BAD_REQUEST } },
  );
}

/**
 * Variables that do not fit their types, described without their values (variable-errors.ts), then
 * what graphql-js would refuse when it coerces them (a missing or null required variable; messages
 * without values): BAD_USER_INPUT before anything runs, as over HTTP.
 */
function variableRefusal(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError | undefined {
  const valueFree = variableError(schema, operation, variables ?? undefined);
  if (valueFree) return valueFree;
  const [first] = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}).errors ?? [];
  return (
    first &&
    new GraphQLError(first.message, { nodes: first.nodes ?? null, extensions: { code: ErrorCode.BAD_USER_INPUT } })
  );
}

/**
 * graphql-ws refuses a subscribe message without a `query` string before any hook sees it; one that
 * names its document by id (`documentId`, or Apollo's persisted-query extension) need not carry the
 * text, so it is given an empty one here, as the message is read (the admission decides what runs).
 */
function documentIdWithoutText(this: unknown, key: string, value: unknown): unknown {
  if (key !== '' || typeof value !== 'object' || value === null) return value;
  const message = value as { type?: unknown; payload?: unknown };
  const payload = message.payload as Record<string, unknown> | null | undefined;
  if (message.type !== 'subscribe' || typeof payload !== 'object' || payload === null) return value;
  if (payload.query === undefined && (payload.documentId !== undefined || payload.extensions !== undefined)) {
    payload.query = '';
  }
  return value;
}

function requestIdOf(args: ExecutionArgs): string {
  return (args.contextValue as RequestContext).requestId;
}

/**
 * GraphQL over WebSocket (graphql-ws) on the same `/graphql` path, through the same pipeline as HTTP
 * (operation-pipeline.ts): the same validation rules and introspection gate, the same checks before
 * execution, errors formatted by the same formatter (no values, no suggestions when introspection is
 * off), one operation log line and the same metrics. Only subscriptions unless
 * GRAPHQL_WS_OPERATIONS=all. The token travels in `connection_init` (`{ "authorization": "Bearer ..." }`,
 * or `{ "token": "Bearer ..." }` as Apollo Router forwards it):
 * a bad one closes the connection (4403); a connection that sends no `connection_init` in time is
 * closed (4408). Scopes are checked per operation.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): SubscriptionServer {
  const { schema, metrics, graphql } = options;
  const wsServer = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const callers = new WeakMap<object, Caller | undefined>();
  const active = new WeakMap<object, number>();
  // Keyed by the subscribe message's payload, the one object every hook of an operation is handed.
  const operations = new WeakMap<SubscribePayload, Operation>();
  const parse = documentParser(schema, graphql);
  const format = createErrorFormatter({ production: options.production, suggestions: graphql.introspection });
  const log = options.logger.child({ transport: 'websocket' });

  /** Formatting (and anything else) inside the operation's request-id scope, as over HTTP. */
  const within = <T>(operation: Operation | undefined, fn: () => T): T =>
    operation ? runWithRequestId(operation.context.requestId, fn) : fn();

  const record = (operation: Operation, errors: readonly GraphQLError[] | undefined) => {
    const first = errors?.[0];
    recordOperation(metrics, {
      operation: operation.operation,
      document: operation.document,
      operationName: operation.operation?.name?.value ?? null,
      outcome: outcomeOf(first && [within(operation, () => formatForClient(first, format))]),
      ms: performance.now() - operation.started,
      firstError: first && (unwrapResolverError(first) ?? first),
      context: operation.context,
    });
  };

  const cleanup = useServer(
    {
      schema,
      connectionInitWaitTimeout: graphql.ws.connectionInitTimeoutMs,
      jsonMessageReviver: documentIdWithoutText,
      onConnect: async (ctx) => {
        try {
          // `authorization`, `Authorization` (GraphiQL) or `token` (Apollo Router): connection-authorization.ts.
          const authorization = connectionAuthorization(ctx.connectionParams ?? {});
          const caller = await options.authenticate(authorization === undefined ? {} : { authorization }, log);
          callers.set(ctx, caller);
          return true;
        } catch (error) {
          recordRefusedCaller(metrics, log, error);
          return false; // graphql-ws closes with 4403 Forbidden
        }
      },
      // Synchronous to the end: 21 subscribe messages in one packet count one after another.
      onSubscribe: (ctx, _id, payload) => {
        const caller = callers.get(ctx);
        const operation: Operation = {
          context: options.createContext(randomUUID(), caller, log),
          started: performance.now(),
          executing: false,
        };
        operations.set(payload, operation);
        const refuse = (error: GraphQLError): GraphQLError[] => {
          record(operation, [error]);
          return [error];
        };
        const count = active.get(ctx) ?? 0;
        if (count >= MAX_SUBSCRIPTIONS_PER_CONNECTION) return refuse(tooMany());
        const admission = options.admit?.(documentRequestOf(payload), caller) ?? { kind: 'text' };
        if (admission.kind === 'refused') {
          operation.context.admission.refused = true;
          return refuse(admission.error);
        }
        let document: DocumentNode;
        if (admission.kind === 'trusted') {
          // Parsed and validated once, at load.
          document = admission.document.document;
          operation.context.admission.documentId = admission.document.id;
        } else {
          const parsed = parse(payload.query);
          if ('errors' in parsed) {
            record(operation, parsed.errors);
            return [...parsed.errors];
          }
          document = parsed.document;
        }
        operation.document = document;
        const definition = getOperationAST(document, payload.operationName);
        if (!definition) return refuse(operationResolutionFailure(document, payload.operationName));
        operation.operation = definition;
        const refusal =
          (graphql.ws.operations === 'subscriptions' && definition.operation !== 'subscription'
            ? httpOnly()
            : undefined) ??
          tokenlessRefusal(caller, document, definition) ??
          variableRefusal(schema, definition, payload.variables);
        if (refusal) return refuse(refusal);
        active.set(ctx, count + 1);
        return {
          schema,
          document,
          contextValue: operation.context,
          ...(payload.variables && { variableValues: payload.variables }),
          ...(payload.operationName && { operationName: payload.operationName }),
        };
      },
      execute: (args) => runWithRequestId(requestIdOf(args), () => execute(args)),
      subscribe: (args) => runWithRequestId(requestIdOf(args), () => subscribe(args)),
      onOperation: async (_ctx, _id, payload, _args, result) => {
        const operation = operations.get(payload);
        if (!operation) return;
        operation.executing = true;
        const settled = await result;
        // A subscription is logged once it is established (or refused by its resolver), a query or
        // mutation once it has its answer, as over HTTP.
        record(operation, Symbol.asyncIterator in settled ? undefined : settled.errors);
      },
      onNext: (_ctx, _id, payload, _args, result) => {
        if (!result.errors?.length) return;
        const operation = operations.get(payload);
        logUnexpected(operation?.context.logger ?? log, result.errors);
        const errors = within(operation, () => result.errors!.map((error) => formatForClient(error, format)));
        return {
          ...(result.data !== undefined && { data: result.data }),
          ...(result.extensions && { extensions: result.extensions }),
          errors,
        };
      },
      onError: (_ctx, _id, payload, errors) => {
        const operation = operations.get(payload);
        logUnexpected(operation?.context.logger ?? log, errors);
        return within(operation, () =>
          errors.map((error) => {
            const formatted = formatForClient(error, format);
            // Refused before execution: nothing was sent, whatever the code (as over HTTP).
            return operation?.executing ? formatted : statingNotSent(formatted);
          }),
        );
      },
      onComplete: (ctx) => {
        active.set(ctx, Math.max(0, (active.get(ctx) ?? 1) - 1));
      },
    },
    wsServer,
    KEEP_ALIVE_MS,
  );
  return {
    handleUpgrade(request, socket, head) {
      wsServer.handleUpgrade(request, socket, head, (ws) => wsServer.emit('connection', ws, request));
    },
    async close() {
      await cleanup.dispose();
    },
  };
}
