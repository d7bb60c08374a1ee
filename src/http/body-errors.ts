import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { currentRequestId, REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';
import { ErrorCode } from '../error-codes.js';

/**
 * Errors that reach Express outside GraphQL (body parsing: too large, malformed JSON; anything a
 * middleware throws) as GraphQL-shaped JSON with their HTTP status, instead of Express's default page
 * (which shows a stack trace outside production). Anything not a client error is logged and answered
 * as INTERNAL_SERVER_ERROR with the request id, like every other unexpected failure.
 */
export function bodyErrors(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const requestId = currentRequestId() ?? requestIdFrom(req.headers);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
    if (typeof status !== 'number' || status < 400 || status >= 500) {
      logger.error({ err: error, requestId }, 'unexpected error while serving an HTTP request');
      res.status(500).json({
        errors: [
          { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId } },
        ],
      });
      return;
    }
    const [message, code] =
      type === 'entity.too.large'
        ? ['Request body too large.', ErrorCode.PAYLOAD_TOO_LARGE]
        : ['Request body is not valid JSON.', ErrorCode.BAD_REQUEST];
    // Refused before GraphQL saw it: nothing was sent.
    res.status(status).json({ errors: [{ message, extensions: { code, delivery: 'NOT_SENT' } }] });
  };
}
