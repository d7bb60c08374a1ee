import type { Server } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginInlineTrace } from '@apollo/server/plugin/inlineTrace';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Logger } from 'pino';
import type { AuthConfig, GraphqlConfig } from '../config/index.js';
import type { RequestContext } from './request-context.js';
import { createErrorFormatter } from './errors.js';
import { compiledExecution, type DocumentCompiler } from './compiled-execution.js';
import type { Admit } from './trusted-documents/admission.js';
import { trustedDocumentsPlugin } from './trusted-documents/apollo.js';
import { apiValidationRules } from './operation-pipeline.js';
import type { Metrics } from '../observability/metrics.js';
import { internalErrors } from './plugins/internal-errors.js';
import { tracingPlugin } from './plugins/tracing.js';
import { operationLog } from './plugins/operation-log.js';
import { variableErrors } from './plugins/variable-errors.js';
import { subscriptionsOverWebSocket } from './plugins/subscriptions-over-websocket.js';
import { requireAuthentication } from './plugins/require-authentication.js';
import { notSentBeforeExecution } from './plugins/not-sent-before-execution.js';
import { operationResolution } from './plugins/operation-resolution.js';

export interface ApolloOptions {
  readonly schema: GraphQLSchema;
  readonly httpServer: Server;
  readonly logger: Logger;
  readonly production: boolean;
  readonly graphql: GraphqlConfig;
  readonly auth: AuthConfig;
  readonly metrics: Metrics;
  /** After this, in-flight requests are cut when stopping. */
  readonly shutdownTimeoutMs: number;
  /**
   * Trusted documents: which document runs, the document cache, the compiler they were compiled with
   * (wiring/trusted-documents.ts). Without it, any document runs (TRUSTED_DOCUMENTS=off).
   */
  readonly trusted?: {
    readonly admit: Admit;
    readonly documentStore: KeyValueCache<DocumentNode>;
    readonly compiler: DocumentCompiler | undefined;
  };
}

/** Apollo Server with the API's error contract, hardening and authentication rules. */
export function createApolloServer(options: ApolloOptions): ApolloServer<RequestContext> {
  const { graphql, logger, production, trusted } = options;
  return new ApolloServer<RequestContext>({
    // Apollo's pipeline with each operation compiled once (compiled-execution.ts), or graphql-js.
    ...(graphql.compiledExecution
      ? { gateway: compiledExecution(options.schema, trusted?.compiler) }
      : { schema: options.schema }),
    // Parsed and validated documents by query hash; the trusted ones always in it (trusted-documents/).
    ...(trusted && { documentStore: trusted.documentStore }),
    // The introspection gate is in apiValidationRules and the suggestions are dropped by the error
    // formatter: the same pieces serve the WebSocket (operation-pipeline.ts).
    introspection: true,
    allowBatchedHttpRequests: false,
    // Automatic persisted queries only when configured (GRAPHQL_PERSISTED_QUERIES=true).
    persistedQueries: graphql.persistedQueries ? {} : false,
    csrfPrevention: true,
    validationRules: apiValidationRules(graphql),
    // main.ts owns signal handling (drain, close SMN sockets and the simulator, exit 0).
    stopOnTerminationSignals: false,
    includeStacktraceInErrorResponses: !production,
    formatError: createErrorFormatter({ production, suggestions: graphql.introspection }),
    logger: logger.child({ component: 'apollo' }),
    plugins: [
      // First: which document runs (a listed one by id) or the refusal, before Apollo reads the request.
      ...(trusted ? [trustedDocumentsPlugin(trusted.admit)] : []),
      // Then a request whose operation cannot be chosen is refused before anything else looks at it.
      operationResolution(),
      notSentBeforeExecution(),
      // Nothing in this API is cacheable, and the cache-control plugin wraps every field resolver, which
      // costs CPU on every result (bench/RESULTS.md, "Why the code is this way").
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginDrainHttpServer({
        httpServer: options.httpServer,
        stopGracePeriodMillis: options.shutdownTimeoutMs,
      }),
      operationLog(options.metrics, logger),
      tracingPlugin(),
      // Field timings for a router that asks (apollo-federation-include-trace: ftv1); error text masked.
      ApolloServerPluginInlineTrace({ includeErrors: { masked: true } }),
      // The playground is our own self-hosted GraphiQL (src/http/playground.ts); Apollo's loads a CDN.
      ApolloServerPluginLandingPageDisabled(),
      ...(options.auth.mode === 'jwt' && options.auth.introspection === 'public' ? [requireAuthentication()] : []),
      // After authentication: a caller without a token learns nothing about the input types.
      // Compiled execution checks variables as it coerces them (compiled-execution.ts).
      ...(graphql.compiledExecution ? [] : [variableErrors()]),
      subscriptionsOverWebSocket(),
      internalErrors(logger),
    ],
  });
}
