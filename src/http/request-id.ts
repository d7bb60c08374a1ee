import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { RequestHandler } from 'express';

export const REQUEST_ID_HEADER = 'x-request-id';
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's request id when it is safe to log and forward, otherwise a fresh one. */
export function requestIdFrom(headers: IncomingHttpHeaders): string {
  const given = headers[REQUEST_ID_HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  return value && SAFE_REQUEST_ID.test(value) ? value : randomUUID();
}

const current = new AsyncLocalStorage<string>();

/** Runs `fn` (and everything it awaits) as part of the request with this id. */
export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return current.run(requestId, fn);
}

/**
 * The id of the request being served, wherever the code is: also where no per-request context is
 * handed over (Apollo's answer to an error thrown outside its pipeline's own handling).
 */
export function currentRequestId(): string | undefined {
  return current.getStore();
}

/**
 * Gives the request its id (echoed in X-Request-Id) for everything after it. Mounted after the body
 * parser: a stream's callbacks would not carry the id through.
 */
export function requestIdScope(): RequestHandler {
  return (req, res, next) => {
    const requestId = requestIdFrom(req.headers);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    runWithRequestId(requestId, next);
  };
}
