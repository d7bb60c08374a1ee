import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { type DocumentNode, type GraphQLFormattedError, type OperationDefinitionNode } from 'graphql';
import type { Logger } from 'pino';
import { bounded } from '../../observability/bounded.js';
import type { Metrics, RefusalReason } from '../../observability/metrics.js';
import { PolicyError } from '../../errors/policy-error.js';
import type { RequestContext } from '../request-context.js';
import { documentShape } from '../document-shape.js';
import { expectedCodeOf } from '../errors.js';
import { ErrorCode } from '../../error-codes.js';

/** The root field an operation asks for: a bounded label (the schema's own field names). */
export function rootField(operation: OperationDefinitionNode | undefined, document: DocumentNode | undefined): string {
  if (!operation || !document) return 'invalid';
  const { counts, overflow } = documentShape(document).rootFields(operation);
  const fields = new Set(counts.keys());
  fields.delete('__typename');
  if (overflow) return 'multiple';
  if (fields.size === 0) return '__typename';
  return fields.size === 1 ? [...fields][0]! : 'multiple';
}

const POLICY_REASONS: Partial<Record<ErrorCode, RefusalReason>> = {
  [ErrorCode.OUTSIDE_SEND_WINDOW]: 'window',
  [ErrorCode.IDEMPOTENCY_KEY_REUSED]: 'idempotency_key_reused',
  [ErrorCode.STATE_UNAVAILABLE]: 'state_unavailable',
  [ErrorCode.STATE_LOST]: 'state_lost',
  [ErrorCode.STATE_FULL]: 'state_full',
};

/** Why a send was refused before reaching SMN, or undefined when it was not such a refusal. */
function refusalReason(error: unknown): RefusalReason | undefined {
  if (error instanceof PolicyError) {
    if (error.code === ErrorCode.RATE_LIMITED) return error.details.limit === 'outbound' ? 'outbound_limit' : 'quota';
    if (error.code === ErrorCode.QUOTA_EXCEEDED) return 'quota';
    return POLICY_REASONS[error.code];
  }
  const code = expectedCodeOf(error);
  if (code === ErrorCode.BAD_USER_INPUT || code === ErrorCode.GRAPHQL_VALIDATION_FAILED) return 'validation';
  if (code === ErrorCode.UNAUTHENTICATED || code === ErrorCode.FORBIDDEN) return 'auth';
  return undefined;
}

/** What one operation came to, for its log line and metrics. */
export interface OperationRecord {
  readonly operation: OperationDefinitionNode | undefined;
  readonly document: DocumentNode | undefined;
  /** The resolved operation's name (null for an anonymous one). */
  readonly operationName: string | null | undefined;
  /** `ok`, or the first error's code as the client sees it. */
  readonly outcome: string;
  readonly ms: number;
  /** The first error, unwrapped: why a send was refused. */
  readonly firstError: unknown;
  readonly context: Pick<RequestContext, 'stats' | 'logger' | 'admission'>;
}

/** `ok`, or the code of the first error the client is answered with. */
export function outcomeOf(errors: readonly GraphQLFormattedError[] | undefined): string {
  return errors?.length ? String(errors[0]?.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR) : 'ok';
}

/**
 * One log line per GraphQL operation (request id and caller come with the request's logger):
 * operation, outcome, duration, and for sends the recipients, counts, SMN request id and latency.
 * The same facts feed the metrics. Both transports record through here (HTTP by the plugin below,
 * the WebSocket in subscriptions.ts).
 */
export function recordOperation(metrics: Metrics, record: OperationRecord): void {
  // A refused document was never looked at (trusted-documents/): no field to name.
  const field = record.context.admission.refused ? 'unknown' : rootField(record.operation, record.document);
  const { outcome, operationName } = record;
  const { stats, logger } = record.context;
  metrics.operation(field, outcome);
  if (field === 'publishPromotionSms' || stats.recipients !== undefined) {
    const reason = outcome === 'ok' ? undefined : refusalReason(record.firstError);
    if (reason && stats.smnStatus === undefined) metrics.refused(reason);
    if (stats.replayed) metrics.replayed();
    // The SMN call and the messages are counted by the send itself (sms/send-metrics.ts), campaigns' too.
    metrics.duplicatesRemoved(stats.duplicatesRemoved ?? 0);
    metrics.suppressed('opted_out', stats.suppressed?.OPTED_OUT ?? 0);
    metrics.suppressed('daily_limit', stats.suppressed?.DAILY_LIMIT_REACHED ?? 0);
  }
  const { failedCodes: _codes, ...facts } = stats;
  logger.info(
    {
      operation: field,
      operationName: operationName == null ? undefined : bounded(operationName),
      // The trusted document's id (from the manifest, never the caller's text).
      documentId: record.context.admission.documentId,
      outcome,
      ms: Math.round(record.ms),
      ...facts,
    },
    'GraphQL operation',
  );
}

/** A request refused before it had a context (a bad token): counted and logged, never a caller's value. */
export function recordRefusedCaller(metrics: Metrics, logger: Logger, error: unknown): void {
  const code = expectedCodeOf(error) ?? ErrorCode.INTERNAL_SERVER_ERROR;
  metrics.operation('unknown', code);
  if (code === ErrorCode.UNAUTHENTICATED) metrics.refused('auth');
  logger.info({ outcome: code }, 'GraphQL operation refused before it started');
}

/** The operation log and metrics of Apollo's (HTTP) pipeline. */
export function operationLog(metrics: Metrics, logger: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async contextCreationDidFail({ error }) {
      recordRefusedCaller(metrics, logger, error);
    },
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      let firstError: unknown;
      return {
        async didEncounterErrors({ errors }) {
          firstError ??= errors[0] && (unwrapResolverError(errors[0]) ?? errors[0]);
        },
        async willSendResponse({ response, operation, operationName, document }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          recordOperation(metrics, {
            operation: operation ?? undefined,
            document: document ?? undefined,
            operationName,
            outcome: outcomeOf(errors),
            ms: performance.now() - started,
            firstError,
            context: contextValue,
          });
        },
      };
    },
  };
}
