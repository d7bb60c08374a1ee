import { RequestError, TimeoutError } from 'got';
import { SmnError } from './errors.js';

/** Failures that happen before a connection exists, so the request provably never reached SMN. */
const NEVER_CONNECTED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  // A write that waited for a connection which closed first (Node's net): nothing was written. Since
  // Node 24.20 got 14 can surface it instead of its RequestError when it retries (sindresorhus/got#2469).
  'ERR_SOCKET_CLOSED_BEFORE_CONNECTION',
]);

/** The failure's `code` (ECONNREFUSED, ETIMEDOUT, ...), when it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
const PRE_CONNECT_PHASES = new Set(['lookup', 'connect', 'secureConnect']);

/**
 * True only when the POST certainly never left this process: the connection was refused, the name
 * did not resolve, or the connect phase timed out. Anything after a socket connected (a reset, a
 * response timeout) may have delivered the messages.
 */
export function provablyNotSent(error: unknown): boolean {
  const code = errorCode(error);
  if (code !== undefined && NEVER_CONNECTED_CODES.has(code)) return true;
  if (!(error instanceof RequestError)) return false;
  if (error instanceof TimeoutError) {
    return PRE_CONNECT_PHASES.has(error.event) || error.timings?.connect === undefined;
  }
  return false;
}

/**
 * The underlying failure as a plain Error (name, message, code): got's own error carries the request
 * options, signed headers and the body with every phone number, which must never reach a log line.
 */
export function plainCause(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  return Object.assign(new Error(error.message), { name: error.name, code: errorCode(error) });
}

/** Maps a transport failure (no HTTP response) to the one SmnError type, keeping its cause. */
export function transportError(error: unknown): SmnError {
  const causeCode = errorCode(error);
  const cause = { cause: plainCause(error) };
  if (provablyNotSent(error)) {
    return new SmnError(
      'SMN could not be reached; nothing was sent',
      { kind: 'unavailable', delivery: 'NOT_SENT', causeCode },
      cause,
    );
  }
  const timedOut = error instanceof TimeoutError;
  return new SmnError(
    timedOut
      ? 'SMN did not answer in time after the request was sent; the messages may have been delivered'
      : 'The connection to SMN failed after the request was sent; the messages may have been delivered',
    { kind: 'unavailable', delivery: 'UNKNOWN', causeCode },
    cause,
  );
}
