import type { ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from 'pino';
import { currentRequestId } from '../../http/request-id.js';
import type { RequestContext } from '../request-context.js';
import { isUnexpected } from '../errors.js';

const LOGGED = 'unexpected error while serving a GraphQL request';

/** Logs, in full, each error that was not raised on purpose (the caller sees only the request id). */
export function logUnexpected(logger: Logger, errors: readonly Error[]): void {
  for (const error of errors) {
    const original = unwrapResolverError(error);
    if (isUnexpected(original)) logger.error({ err: original }, LOGGED);
  }
}

/**
 * Unexpected failures, logged in full with the request id (and the caller, once known): those the
 * pipeline reports, those building the context, and those thrown out of the pipeline (which Apollo answers as a bare 500). The
 * caller sees only the request id (added by the error formatter), so they can quote it.
 */
export function internalErrors(logger: Logger): ApolloServerPlugin<RequestContext> {
  return {
    async contextCreationDidFail({ error }) {
      if (isUnexpected(error)) logger.error({ err: error, requestId: currentRequestId() }, LOGGED);
    },
    async unexpectedErrorProcessingRequest({ requestContext, error }) {
      requestContext.contextValue.logger?.error({ err: error }, LOGGED);
    },
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          logUnexpected(contextValue.logger, errors);
        },
      };
    },
  };
}
