import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { GraphQLError, parse, specifiedRules, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import type { Authenticate } from '../auth/authenticate.js';
import type { Caller } from '../auth/caller.js';
import { loggedCaller } from '../auth/caller.js';
import type { GraphqlConfig } from '../config/types.js';
import { ErrorCode } from '../error-codes.js';
import { hardeningRules } from './hardening.js';
import type { RequestContext } from './request-context.js';

/** Subscriptions one connection may hold at once. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;
/** A graphql-ws message is small; nothing legitimate comes near this. */
const MAX_MESSAGE_BYTES = 64 * 1024;
const KEEP_ALIVE_MS = 12_000;

export interface SubscriptionServerOptions {
  readonly httpServer: Server;
  readonly schema: GraphQLSchema;
  readonly authenticate: Authenticate;
  readonly logger: Logger;
  readonly graphql: GraphqlConfig;
  readonly deliveries: NonNullable<RequestContext['deliveries']>;
  readonly campaigns: NonNullable<RequestContext['campaigns']>;
}

function tooMany(): GraphQLError {
  return new GraphQLError(
    `At most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection; open another or complete one.`,
    { extensions: { code: ErrorCode.BAD_REQUEST } },
  );
}

/**
 * GraphQL subscriptions over WebSocket (graphql-ws) on the same `/graphql` path. The token travels in
 * `connection_init` (`{ "authorization": "Bearer ..." }`): a bad one closes the connection (4403),
 * scopes are checked per subscription. Documents pass the same hardening rules as over HTTP.
 */
export function startSubscriptionServer(options: SubscriptionServerOptions): { close(): Promise<void> } {
  const wsServer = new WebSocketServer({ server: options.httpServer, path: '/graphql', maxPayload: MAX_MESSAGE_BYTES });
  const callers = new WeakMap<object, Caller | undefined>();
  const active = new WeakMap<object, number>();
  const rules = [...specifiedRules, ...hardeningRules(options.graphql)];
  const log = options.logger.child({ component: 'subscriptions' });

  const cleanup = useServer(
    {
      schema: options.schema,
      onConnect: async (ctx) => {
        // `Authorization` as GraphiQL sends its headers, or `authorization`.
        const params = ctx.connectionParams ?? {};
        const authorization = params.authorization ?? params.Authorization;
        try {
          const caller = await options.authenticate(typeof authorization === 'string' ? { authorization } : {}, log);
          callers.set(ctx, caller);
          return true;
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden
        }
      },
      onSubscribe: (ctx, _id, payload) => {
        const count = active.get(ctx) ?? 0;
        if (count >= MAX_SUBSCRIPTIONS_PER_CONNECTION) return [tooMany()];
        let document: DocumentNode;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Syntax Error')];
        }
        const errors = validate(options.schema, document, rules);
        if (errors.length > 0) return errors;
        active.set(ctx, count + 1);
        const caller = callers.get(ctx);
        const requestId = randomUUID();
        const logger = log.child({ requestId, ...(caller && { caller: loggedCaller(caller) }) });
        const contextValue: RequestContext = {
          requestId,
          caller,
          logger,
          stats: {},
          deliveries: options.deliveries,
          campaigns: options.campaigns,
        };
        return {
          schema: options.schema,
          document,
          contextValue,
          ...(payload.variables && { variableValues: payload.variables }),
          ...(payload.operationName && { operationName: payload.operationName }),
        };
      },
      onComplete: (ctx) => {
        active.set(ctx, Math.max(0, (active.get(ctx) ?? 1) - 1));
      },
    },
    wsServer,
    KEEP_ALIVE_MS,
  );
  return {
    async close() {
      await cleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}
