import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../../error-codes.js';
import { bounded } from '../../observability/bounded.js';
import { ATTR, failSpan, trace, tracer } from '../../observability/tracing.js';
import type { RequestContext } from '../request-context.js';
import { rootField } from './operation-log.js';

/**
 * Names the operation's span (the active one, opened by the HTTP layer) with the operation's name, type
 * and root field, adds a `graphql.validate` child, and records the outcome: the error code as span
 * status, and a send's counts (never numbers).
 */
export function tracingPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const span = trace.getActiveSpan();
      if (!span) return;
      return {
        async validationDidStart() {
          const validation = tracer().startSpan('graphql.validate');
          return async (errors) => {
            if (errors?.length) failSpan(validation, ErrorCode.GRAPHQL_VALIDATION_FAILED);
            validation.end();
          };
        },
        async willSendResponse({ response, operation, operationName, document, contextValue }) {
          span.setAttributes({
            'graphql.operation.type': operation?.operation ?? 'invalid',
            'graphql.operation.name': operationName == null ? '' : bounded(operationName, 100),
            'smn_gateway.root_field': rootField(operation ?? undefined, document ?? undefined),
          });
          const { stats } = contextValue;
          if (stats.recipients !== undefined) {
            span.setAttributes({
              [ATTR.recipients]: stats.recipients,
              [ATTR.duplicatesRemoved]: stats.duplicatesRemoved ?? 0,
              [ATTR.sent]: stats.sentCount ?? 0,
              [ATTR.failed]: stats.failedCount ?? 0,
              [ATTR.suppressed]: Object.values(stats.suppressed ?? {}).reduce((sum, count) => sum + count, 0),
            });
          }
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
          if (errors?.length) failSpan(span, String(errors[0]?.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR));
        },
      };
    },
  };
}
