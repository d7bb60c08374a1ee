import { bounded } from '../observability/bounded.js';
import { isRecord, optionalString } from '../util/unknown-values.js';
import { SmnError } from './errors.js';
import type { SmnPromotionResponse, SmsCommitResultWire } from './wire.js';

export interface RawResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

interface ErrorFields {
  code?: string | undefined;
  message?: string | undefined;
  requestId?: string | undefined;
}

const RATE_LIMIT_CODES = new Set(['APIG.0308', 'APIGW.0308']);

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads both error-body shapes: SMN's `{code, message}` and the API gateway's `{error_code, error_msg}`. */
export function parseErrorBody(body: string): ErrorFields {
  const json = parseJson(body);
  if (!isRecord(json)) return {};
  const code = optionalString(json.code) ?? optionalString(json.error_code);
  const message = optionalString(json.message) ?? optionalString(json.error_msg);
  const requestId = optionalString(json.request_id);
  // Passed on to callers and logs: an answer of any size must not become an error of that size.
  return {
    code: code && bounded(code, 64),
    message: message && bounded(message, 512),
    requestId: requestId && bounded(requestId),
  };
}

function header(headers: RawResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The longest wait passed on from SMN's Retry-After: past an hour it is no longer advice a client can act on. */
export const MAX_RETRY_AFTER_SECONDS = 3600;

/** `Retry-After` as delay-seconds or an HTTP date, at most an hour; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Math.ceil((Date.parse(value) - now) / 1000);
  if (Number.isNaN(seconds)) return undefined;
  return Math.min(MAX_RETRY_AFTER_SECONDS, Math.max(0, seconds));
}

/** Ids SMN hands out are 32 hex characters; anything past this is not one. */
const MAX_ID_LENGTH = 256;

function isId(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH;
}

function isCommitResult(value: unknown): value is SmsCommitResultWire {
  if (!isRecord(value) || typeof value.endpoint !== 'string') return false;
  if (isId(value.message_id)) return true;
  return typeof value.code === 'string' && value.code.length > 0 && typeof value.message === 'string';
}

function isPromotionResponse(value: unknown): value is SmnPromotionResponse {
  return isRecord(value) && isId(value.request_id) && Array.isArray(value.result) && value.result.every(isCommitResult);
}

/**
 * Turns an HTTP answer from SMN into its documented success body or a typed SmnError. A 4xx is a
 * refusal (nothing sent); a 5xx or an undocumented 2xx body leaves delivery unknown.
 */
export function interpretResponse(response: RawResponse): SmnPromotionResponse {
  const { statusCode } = response;
  const givenRequestId = header(response.headers, 'x-request-id');
  const headerRequestId = givenRequestId && bounded(givenRequestId);
  if (statusCode >= 200 && statusCode < 300) {
    const json = parseJson(response.body);
    if (isPromotionResponse(json)) return json;
    const bodyRequestId = isRecord(json) ? optionalString(json.request_id) : undefined;
    throw new SmnError('SMN answered with a body that is not the documented PromotionSmsPublish response', {
      kind: 'unavailable',
      delivery: 'UNKNOWN',
      httpStatus: statusCode,
      requestId: bodyRequestId === undefined ? headerRequestId : bounded(bodyRequestId),
      causeCode: 'INVALID_BODY',
    });
  }
  const fields = parseErrorBody(response.body);
  const requestId = fields.requestId ?? headerRequestId;
  const details = { httpStatus: statusCode, code: fields.code, requestId };
  if (statusCode === 429 || (fields.code !== undefined && RATE_LIMIT_CODES.has(fields.code))) {
    return rateLimited(fields, details, header(response.headers, 'retry-after'));
  }
  if (statusCode >= 400 && statusCode < 500) {
    throw new SmnError(fields.message ?? `SMN refused the request (HTTP ${statusCode})`, {
      ...details,
      kind: 'rejected',
      delivery: 'NOT_SENT',
    });
  }
  throw new SmnError(fields.message ?? `SMN failed (HTTP ${statusCode})`, {
    ...details,
    kind: 'unavailable',
    delivery: 'UNKNOWN',
  });
}

function rateLimited(
  fields: ErrorFields,
  details: { httpStatus: number; code: string | undefined; requestId: string | undefined },
  retryAfter: string | undefined,
): never {
  throw new SmnError(fields.message ?? 'SMN is throttling requests', {
    ...details,
    kind: 'rate-limited',
    delivery: 'NOT_SENT',
    retryAfterSeconds: parseRetryAfter(retryAfter),
  });
}

/**
 * A read (template and signature lists): the JSON body of a 2xx, or the same typed SmnError a send
 * gets, except that nothing can have been sent (delivery NOT_SENT whatever the status).
 */
export function interpretReadResponse(response: RawResponse): Record<string, unknown> {
  if (response.statusCode >= 200 && response.statusCode < 300) {
    const json = parseJson(response.body);
    if (isRecord(json)) return json;
    throw new SmnError('SMN answered a read with a body that is not JSON', {
      kind: 'unavailable',
      delivery: 'NOT_SENT',
      httpStatus: response.statusCode,
      causeCode: 'INVALID_BODY',
    });
  }
  try {
    interpretResponse(response);
  } catch (error) {
    if (error instanceof SmnError) {
      const { message, ...details } = error.toJSON();
      throw new SmnError(message, { ...details, delivery: 'NOT_SENT' });
    }
    throw error;
  }
  throw new Error('unreachable: a non-2xx answer always throws');
}
