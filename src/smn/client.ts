import http from 'node:http';
import https from 'node:https';
import got, { type Got, type NormalizedOptions } from 'got';
import type { Logger } from 'pino';
import { SMN_ERROR_CODES, SmnError } from './errors.js';
import { ATTR, failSpan, inSpan, SpanKind, traceHeaders } from '../observability/tracing.js';
import { httpClientAttributes } from '../observability/http-client-span.js';
import type { Span } from '@opentelemetry/api';
import { sign, type AkSkCredentials } from './signer.js';
import { interpretReadResponse, interpretResponse } from './response.js';
import {
  oneTemplateFrom,
  signListFrom,
  templateListFrom,
  type SmsSignRecord,
  type SmsTemplateList,
  type SmsTemplateRecord,
} from './catalog-wire.js';
import { DEFAULT_RETRY, maxCallMs, withRetries, type RetryPolicy } from './retry.js';
import { plainCause, transportError } from './transport-errors.js';
import { isRecord } from '../util/unknown-values.js';
import { promotionPath, promotionRequestBody, type PromotionSend, type SmnPromotionResponse } from './wire.js';

/** Per-call context: the caller's request id (sent as X-Request-Id) and the request's logger. */
export interface SmnCallContext {
  readonly requestId?: string | undefined;
  /** Request-scoped logger (already carrying requestId and caller); the client's own when absent. */
  readonly logger?: Logger | undefined;
  /** Told how the call went: HTTP status (or "error" when no response came) and its duration. */
  readonly observe?: ((call: SmnCallObservation) => void) | undefined;
}

export interface SmnCallObservation {
  readonly status: number | 'error';
  readonly ms: number;
}

/**
 * What the use case needs from SMN; the simulator-backed and real clients both satisfy it. It takes the
 * send in the gateway's names; the adapter writes SMN's body (wire.ts: `promotionRequestBody`).
 */
export interface SmnPromotionPort {
  publishPromotion(send: PromotionSend, context?: SmnCallContext): Promise<SmnPromotionResponse>;
}

function observe(context: SmnCallContext | undefined, call: SmnCallObservation): void {
  context?.observe?.(call);
}

export interface SmnClientOptions {
  /** Base URL, e.g. https://smn.cn-north-4.myhuaweicloud.com */
  readonly endpoint: URL;
  readonly projectId: string;
  readonly credentials: AkSkCredentials;
  readonly timeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly logger: Logger;
  /** Retries happen only when the request provably never left. */
  readonly retry?: RetryPolicy;
  /** Idle keep-alive sockets are closed after this long, well before servers drop them (often 5 s+). */
  readonly idleSocketMs?: number;
  /** Longest answer read; a longer one is cut off (a real answer for 1000 numbers is about 150 KB). */
  readonly maxResponseBytes?: number;
  /** Send the trace context on as `traceparent` (SMN is a third party: off unless asked). */
  readonly propagateTrace?: boolean;
}

/** One page of the SMS report API (`GET .../notifications/sms/report`). */
export interface SmnReportPage {
  readonly count: number;
  readonly data: ReadonlyArray<Record<string, unknown>>;
}

export interface SmnReportQuery {
  /** Epoch milliseconds. */
  readonly startTime: number;
  readonly endTime: number;
  readonly offset: number;
  readonly limit: number;
}

export interface SmnTemplateQuery {
  readonly offset: number;
  readonly limit: number;
  /** sms_template_name filter. */
  readonly name?: string | undefined;
}

/** SMN's template and signature lists (reads: nothing is ever sent). */
export interface SmnCatalogPort {
  templates(query: SmnTemplateQuery): Promise<SmsTemplateList>;
  /** Undefined when SMN says it does not exist (404). */
  template(id: string): Promise<SmsTemplateRecord | undefined>;
  signs(): Promise<SmsSignRecord[]>;
}

export interface SmnClient extends SmnPromotionPort, SmnCatalogPort {
  /** Reads delivery reports (poll mode). */
  reports(query: SmnReportQuery): Promise<SmnReportPage>;
  /** The longest one publishPromotion can take: every attempt timing out, plus the retry delays. */
  readonly maxCallMs: number;
  close(): void;
}

const DEFAULT_IDLE_SOCKET_MS = 4_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1_048_576;

function tooLarge(limit: number, cancelled: unknown): SmnError {
  return new SmnError(
    `SMN answered with more than ${limit} bytes, which is not a PromotionSmsPublish answer; the messages may ` +
      'have been delivered',
    { kind: 'unavailable', delivery: 'UNKNOWN', causeCode: 'RESPONSE_TOO_LARGE' },
    { cause: plainCause(cancelled) },
  );
}

export function createSmnClient(options: SmnClientOptions): SmnClient {
  const idle = options.idleSocketMs ?? DEFAULT_IDLE_SOCKET_MS;
  const agent = {
    http: new http.Agent({ keepAlive: true, timeout: idle, scheduling: 'lifo' }),
    https: new https.Agent({ keepAlive: true, timeout: idle, scheduling: 'lifo' }),
  };
  const retry = options.retry ?? DEFAULT_RETRY;
  const url = new URL(promotionPath(options.projectId), options.endpoint);
  const log = options.logger.child({ component: 'smn-client' });
  const maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  const client: Got = got.extend({
    agent,
    throwHttpErrors: false,
    responseType: 'text',
    followRedirect: false,
    timeout: {
      connect: options.connectTimeoutMs,
      secureConnect: options.connectTimeoutMs,
      request: options.timeoutMs,
    },
    // One attempt per got call: withRetries runs the retries (retry.ts says why got's own cannot).
    retry: { limit: 0 },
    hooks: {
      // Runs before every attempt, so each one carries a fresh X-Sdk-Date.
      beforeRequest: [(request: NormalizedOptions) => signAttempt(request, options)],
    },
  });
  const retrying = (logger: Logger) => ({
    onRetry: (retried: { cause: string | undefined; retryCount: number }) =>
      logger.warn(retried, 'SMN unreachable, retrying (request never left)'),
  });

  const reportUrl = new URL(`/v2/${encodeURIComponent(options.projectId)}/notifications/sms/report`, options.endpoint);
  const notifications = `/v2/${encodeURIComponent(options.projectId)}/notifications`;

  /** A signed GET in a CLIENT span named `span`, its answer cut off past SMN_MAX_RESPONSE_BYTES. */
  const signedGet = (span: string, url: URL, policy: RetryPolicy = retry) =>
    inSpan(span, { kind: SpanKind.CLIENT, attributes: httpClientAttributes('GET', url) }, async (active) => {
      const response = await withRetries(
        policy,
        () => {
          const call = client.get(url, { headers: { 'content-type': 'application/json;charset=UTF-8' } });
          void call.on('downloadProgress', ({ transferred }) => {
            if (transferred > maxResponseBytes) call.cancel();
          });
          return call;
        },
        retrying(log),
      );
      active.setAttribute('http.response.status_code', response.statusCode);
      if (response.statusCode >= 400) {
        failSpan(active, undefined);
        active.setAttribute('error.type', String(response.statusCode));
      }
      return response;
    });

  /** A signed GET of SMN's JSON (template and signature lists), with the send's error mapping. */
  const read = async (span: string, path: string, params: Record<string, string | undefined> = {}) => {
    const url = new URL(`${notifications}${path}`, options.endpoint);
    for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.set(name, value);
    const started = performance.now();
    let response;
    try {
      response = await signedGet(span, url);
    } catch (error) {
      const failure = transportError(error);
      log.warn({ cause: failure.causeCode, ms: elapsed(started), path }, 'SMN catalog read failed without a response');
      const { message, ...details } = failure.toJSON();
      throw new SmnError(message.replace(/; the messages may have been delivered$/, ''), {
        ...details,
        delivery: 'NOT_SENT',
      });
    }
    log.info({ status: response.statusCode, ms: elapsed(started), path }, 'SMN answered a catalog read');
    return interpretReadResponse({ statusCode: response.statusCode, headers: response.headers, body: response.body });
  };

  return {
    async templates(query) {
      return templateListFrom(
        await read('smn.sms_template.list', '/sms_template', {
          offset: String(query.offset),
          limit: String(query.limit),
          sms_template_name: query.name,
        }),
      );
    },
    async template(id) {
      try {
        return oneTemplateFrom(await read('smn.sms_template.read', `/sms_template/${encodeURIComponent(id)}`));
      } catch (error) {
        // SMN's own 404 (SMN.xxxx) means no such template; the API gateway's (APIG.0101) is a wrong endpoint.
        if (error instanceof SmnError && error.httpStatus === 404 && error.code?.startsWith('SMN.')) return undefined;
        throw error;
      }
    },
    async signs() {
      return signListFrom(await read('smn.sms_sign.list', '/sms_sign'));
    },
    async reports(query) {
      const url = new URL(reportUrl);
      url.searchParams.set('start_time', String(query.startTime));
      url.searchParams.set('end_time', String(query.endTime));
      url.searchParams.set('offset', String(query.offset));
      url.searchParams.set('limit', String(query.limit));
      const response = await signedGet('smn.sms_report.list', url, { ...retry, limit: Math.min(retry.limit, 1) });
      if (response.statusCode !== 200) throw new Error(`SMN report API answered HTTP ${response.statusCode}`);
      const body = JSON.parse(response.body) as { count?: unknown; data?: unknown };
      const data = Array.isArray(body.data) ? body.data.filter(isRecord) : [];
      return { count: typeof body.count === 'number' ? body.count : data.length, data };
    },
    publishPromotion: (send, context) =>
      inSpan(
        'smn.PromotionSmsPublish',
        {
          kind: SpanKind.CLIENT,
          attributes: { ...httpClientAttributes('POST', url), [ATTR.recipients]: send.endpoints.length },
          codeOf: (error) => (error instanceof SmnError ? SMN_ERROR_CODES[error.kind] : undefined),
        },
        (span) => publish(send, context, span),
      ),
    maxCallMs: maxCallMs(retry, options.timeoutMs),
    close() {
      agent.http.destroy();
      agent.https.destroy();
    },
  };

  async function publish(send: PromotionSend, context: SmnCallContext | undefined, span: Span) {
    const body = JSON.stringify(promotionRequestBody(send));
    const started = performance.now();
    // A request-scoped logger already carries the request id; the shared one needs it spelled out.
    const requestLog = context?.logger
      ? context.logger.child({ component: 'smn-client' })
      : log.child({ requestId: context?.requestId });
    let response;
    let oversized = false;
    let attempts = 0;
    try {
      const attempt = () => {
        attempts += 1;
        const call = client.post(url, {
          body,
          headers: {
            'content-type': 'application/json;charset=UTF-8',
            ...(context?.requestId ? { 'x-request-id': context.requestId } : {}),
            ...(options.propagateTrace && traceHeaders()),
          },
        });
        // Read no more than the cap, whatever Content-Length says (or whether it says anything).
        void call.on('downloadProgress', ({ transferred, total }) => {
          if (!oversized && (transferred > maxResponseBytes || (total ?? 0) > maxResponseBytes)) {
            oversized = true;
            call.cancel();
          }
        });
        return call;
      };
      // An oversized answer is cancelled (not a transport failure that proves nothing left): never retried.
      response = await withRetries(retry, attempt, retrying(requestLog));
    } catch (error) {
      const smnError = oversized ? tooLarge(maxResponseBytes, error) : transportError(error);
      span.setAttributes({ 'smn_gateway.delivery': smnError.delivery, 'error.type': smnError.causeCode ?? 'error' });
      observe(context, { status: 'error', ms: elapsed(started) });
      requestLog.error(
        { cause: smnError.causeCode, delivery: smnError.delivery, ms: elapsed(started) },
        'SMN call failed without a response',
      );
      throw smnError;
    }
    observe(context, { status: response.statusCode, ms: elapsed(started) });
    span.setAttributes({
      'http.response.status_code': response.statusCode,
      'smn_gateway.attempts': attempts,
    });
    requestLog.info(
      { status: response.statusCode, ms: elapsed(started), numbers: send.endpoints.length },
      'SMN answered',
    );
    try {
      const answer = interpretResponse({
        statusCode: response.statusCode,
        headers: response.headers,
        body: response.body,
      });
      span.setAttribute('smn.request_id', answer.request_id);
      return answer;
    } catch (error) {
      if (error instanceof SmnError) {
        span.setAttributes({
          'smn_gateway.delivery': error.delivery,
          ...(error.code && { 'smn.code': error.code }),
          ...(error.requestId && { 'smn.request_id': error.requestId }),
        });
      }
      throw error;
    }
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** Signs exactly what goes on the wire: method, URL, the headers we set and the body string. */
function signAttempt(request: NormalizedOptions, options: SmnClientOptions): void {
  const url = request.url instanceof URL ? request.url : new URL(String(request.url));
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': String(request.headers['content-type']),
    'x-project-id': options.projectId,
  };
  const signed = sign(
    { method: request.method, url, headers, body: typeof request.body === 'string' ? request.body : '' },
    options.credentials,
  );
  for (const [name, value] of Object.entries(signed)) request.headers[name.toLowerCase()] = value;
}
