/**
 * What an HTTP answer means to the client, whatever sent it: the service's GraphQL answer, or a typed
 * error for anything else (an HTML 502 from a proxy, an empty 503, a body cut short), so that only a
 * network failure rejects. Codes are plain strings here; index.ts types them (`SmsGatewayErrorCode`).
 */

export interface GraphQLAnswer<TData> {
  readonly status: number;
  readonly data?: TData | null;
  readonly errors?: ReadonlyArray<{ message: string; extensions?: Record<string, unknown> }>;
}

/** The service sent no GraphQL answer: a proxy's page, an empty body, JSON that is not GraphQL's. */
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A GraphQL answer: `errors` a non-empty array of errors with a message, or `data` an object. */
function graphQLAnswerIn(text: string): Omit<GraphQLAnswer<unknown>, 'status'> | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(body)) return undefined;
  const { data, errors } = body;
  if (Array.isArray(errors) && errors.length > 0) {
    if (!errors.every((error) => isObject(error) && typeof error['message'] === 'string')) return undefined;
    return body as Omit<GraphQLAnswer<unknown>, 'status'>;
  }
  return isObject(data) ? { data } : undefined;
}

/** `Retry-After` as seconds (a number of seconds, or an HTTP date), when it says anything. */
function retryAfterSeconds(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = /^\s*\d+\s*$/.test(header) ? Number(header) : (Date.parse(header) - now) / 1000;
  return Number.isFinite(seconds) ? Math.max(0, Math.ceil(seconds)) : undefined;
}

/**
 * The service's answer as it came, or one error in the same shape describing an answer that is not
 * GraphQL. A proxy's 413 or 429 means the request was not passed on (`delivery: NOT_SENT`); any other
 * such answer may come after the service acted on it (`delivery: UNKNOWN`: check before resending).
 */
export function readAnswer<TData>(response: globalThis.Response, text: string): GraphQLAnswer<TData> {
  const { status } = response;
  const answer = graphQLAnswerIn(text);
  if (answer) return { status, ...(answer as Omit<GraphQLAnswer<TData>, 'status'>) };
  const contentType = response.headers.get('content-type')?.split(';')[0]?.trim() || 'no content type';
  const requestId = response.headers.get('x-request-id');
  const described = `HTTP ${status} (${text.length === 0 ? 'empty body' : contentType}), not a GraphQL answer`;
  const retryAfter = retryAfterSeconds(response.headers.get('retry-after'), Date.now());
  const extensions: Record<string, unknown> =
    status === 413
      ? { code: 'PAYLOAD_TOO_LARGE', delivery: 'NOT_SENT' }
      : status === 429
        ? {
            code: 'RATE_LIMITED',
            delivery: 'NOT_SENT',
            ...(retryAfter !== undefined && { retryAfterSeconds: retryAfter }),
          }
        : { code: UNEXPECTED_RESPONSE, delivery: 'UNKNOWN' };
  return {
    status,
    errors: [{ message: described, extensions: { ...extensions, ...(requestId && { requestId }) } }],
  };
}
