import { describe, expect, it } from 'vitest';
import { SmnError } from '../../src/smn/errors.js';
import { interpretResponse, parseRetryAfter } from '../../src/smn/response.js';

function thrown(fn: () => unknown): SmnError {
  try {
    fn();
  } catch (error) {
    if (error instanceof SmnError) return error;
    throw error;
  }
  throw new Error('expected an SmnError');
}

const json = (statusCode: number, body: unknown, headers: Record<string, string> = {}) => ({
  statusCode,
  headers,
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

describe('interpretResponse', () => {
  it('returns the documented success body', () => {
    const body = {
      request_id: 'r1',
      result: [
        { endpoint: '+1', message_id: 'm' },
        { endpoint: '+2', code: 'SMN.0167', message: 'x' },
      ],
    };
    expect(interpretResponse(json(200, body))).toEqual(body);
  });

  it('reads the SMN error shape', () => {
    const error = thrown(() =>
      interpretResponse(json(400, { request_id: 'r2', code: 'SMN.0161', message: 'bad template' })),
    );
    expect(error).toMatchObject({
      kind: 'rejected',
      delivery: 'NOT_SENT',
      httpStatus: 400,
      code: 'SMN.0161',
      requestId: 'r2',
      message: 'bad template',
    });
  });

  it('reads the API gateway error shape', () => {
    const error = thrown(() =>
      interpretResponse(json(401, { error_code: 'APIG.0301', error_msg: 'auth failed', request_id: 'r3' })),
    );
    expect(error).toMatchObject({
      kind: 'rejected',
      delivery: 'NOT_SENT',
      code: 'APIG.0301',
      requestId: 'r3',
      message: 'auth failed',
    });
  });

  it('falls back to the X-Request-Id header and a generic message for an unreadable 4xx body', () => {
    const error = thrown(() => interpretResponse(json(404, '<html>', { 'x-request-id': 'hdr' })));
    expect(error).toMatchObject({ kind: 'rejected', httpStatus: 404, requestId: 'hdr', code: undefined });
    expect(error.message).toBe('SMN refused the request (HTTP 404)');
  });

  it('treats 429 and APIG.0308 as rate limiting, with Retry-After', () => {
    expect(thrown(() => interpretResponse(json(429, {}, { 'retry-after': '12' })))).toMatchObject({
      kind: 'rate-limited',
      delivery: 'NOT_SENT',
      retryAfterSeconds: 12,
    });
    expect(
      thrown(() => interpretResponse(json(403, { error_code: 'APIG.0308', error_msg: 'throttled' }))),
    ).toMatchObject({
      kind: 'rate-limited',
      retryAfterSeconds: undefined,
    });
  });

  it('leaves delivery unknown on 5xx', () => {
    expect(thrown(() => interpretResponse(json(500, { code: 'SMN.0018', message: 'internal' })))).toMatchObject({
      kind: 'unavailable',
      delivery: 'UNKNOWN',
      code: 'SMN.0018',
    });
  });

  it.each([
    ['not JSON', 'oops'],
    ['no request_id', { result: [] }],
    ['result not a list', { request_id: 'r', result: {} }],
    ['an entry with neither message_id nor code', { request_id: 'r', result: [{ endpoint: '+1' }] }],
    ['an entry without endpoint', { request_id: 'r', result: [{ message_id: 'm' }] }],
  ])('leaves delivery unknown for a 2xx body with %s', (_name, body) => {
    expect(thrown(() => interpretResponse(json(200, body)))).toMatchObject({
      kind: 'unavailable',
      delivery: 'UNKNOWN',
      httpStatus: 200,
    });
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('5')).toBe(5);
    expect(parseRetryAfter('Tue, 24 Nov 2026 10:00:30 GMT', Date.parse('Tue, 24 Nov 2026 10:00:00 GMT'))).toBe(30);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
