import cors from 'cors';
import type { RequestHandler } from 'express';
import { REQUEST_ID_HEADER } from './request-id.js';

/**
 * CORS for the frontends on the allowlist, and only those: an origin not listed gets no
 * Access-Control-Allow-Origin. Never a wildcard, so credentials can be allowed safely.
 */
export function corsForOrigins(origins: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    credentials: true,
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['content-type', 'authorization', REQUEST_ID_HEADER, 'apollo-require-preflight'],
    exposedHeaders: [REQUEST_ID_HEADER],
    maxAge: 600,
  });
}
