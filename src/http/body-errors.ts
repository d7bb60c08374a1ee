import type { ErrorRequestHandler } from 'express';

/**
 * Errors from body parsing (too large, malformed JSON) as GraphQL-shaped JSON with their HTTP status,
 * instead of Express's default page (which shows a stack trace outside production).
 */
export function bodyErrors(): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
    if (res.headersSent || typeof status !== 'number' || status < 400 || status >= 500) return next(error);
    const [message, code] =
      type === 'entity.too.large'
        ? ['Request body too large.', 'PAYLOAD_TOO_LARGE']
        : ['Request body is not valid JSON.', 'BAD_REQUEST'];
    res.status(status).json({ errors: [{ message, extensions: { code } }] });
  };
}
