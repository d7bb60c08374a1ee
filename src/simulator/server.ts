import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { ReportRetry } from './report-protocol.js';
import { createEventSource, createSigningIdentity, type EventSource } from './events.js';
import { parseAuthorization, signParts, type AkSkCredentials } from '../smn/signer.js';
import { promotionPath, type SmnPromotionRequest, type SmnPromotionResponse } from '../smn/wire.js';
import { FaultQueue, isFault, type Fault } from './faults.js';
import { checkPromotionBody, commitResults, isRefusal, newId } from './rules.js';
import { signList, templateById, templateList } from './catalog.js';
import { closeServer, listen } from '../util/listen.js';

export interface SimulatorOptions {
  readonly port?: number;
  readonly host?: string;
  readonly projectId: string;
  readonly credentials: AkSkCredentials;
  /** Largest clock difference accepted in X-Sdk-Date, as SMN does (15 minutes). */
  readonly maxClockSkewMs?: number;
  /** How long after a send its delivery reports are posted (SIMULATOR_REPORT_DELAY_MS; 1000). */
  readonly reportDelayMs?: number;
  /** How delivery reports are posted and retried (SMN's behaviour by default: `SMN_REPORT_RETRY`). */
  readonly reportRetry?: Partial<ReportRetry>;
}

export interface ReceivedRequest {
  readonly body: unknown;
  readonly headers: IncomingMessage['headers'];
}

export interface RunningSimulator {
  /** Base URL to use as SMN_ENDPOINT. */
  readonly url: string;
  readonly faults: FaultQueue;
  /**
   * The signed promotion requests received, in order (faulted ones included): the newest, up to
   * MAX_LOGGED_NUMBERS numbers in all, so a soak of millions of sends does not fill the simulator.
   */
  readonly received: ReceivedRequest[];
  /** Requests received since the last reset, those dropped from `received` included. */
  receivedCount: number;
  /** Numbers in the requests `received` holds. */
  loggedNumbers: number;
  /** Every signed template or signature read, as its path and query. */
  readonly catalogCalls: string[];
  /** TCP connections accepted so far (shows whether clients reuse keep-alive sockets). */
  readonly connections: number;
  /** SMN's side after a send: signed events to the subscribed endpoint, and the report API's data. */
  readonly events: EventSource;
  /** The certificate the events are signed with (what a gateway pins). */
  readonly certificatePem: string;
  /** Whether the subscribed endpoint confirmed its subscription. */
  readonly confirmed: boolean;
  /** Where the certificate is served (the events' `signing_cert_url`). */
  readonly certificateUrl: string;
  close(): Promise<void>;
}

const CONTROL_PREFIX = '/_simulator';
const MAX_BODY_BYTES = 1024 * 1024;

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(text);
}

function apigError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers?: Record<string, string>,
) {
  send(res, status, { error_code: code, error_msg: message, request_id: newId() }, headers);
}

function smnError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, status, { request_id: newId(), code, message });
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sdkDateToMs(value: string | undefined): number {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value ?? '');
  if (!match) return Number.NaN;
  const [, y, mo, d, h, mi, s] = match.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s);
}

const REQUIRED_SIGNED = ['content-type', 'host', 'x-sdk-date'];

/** Verifies SDK-HMAC-SHA256 the way the API gateway does; returns why it failed, or undefined. */
function verifySignature(req: IncomingMessage, body: Buffer, options: SimulatorOptions): string | undefined {
  const auth = parseAuthorization(req.headers.authorization);
  if (!auth) return 'missing or malformed Authorization header';
  if (auth.access !== options.credentials.ak) return 'unknown access key';
  if (!REQUIRED_SIGNED.every((name) => auth.signedHeaders.includes(name))) return 'required headers are not signed';
  const skew = Math.abs(Date.now() - sdkDateToMs(req.headers['x-sdk-date'] as string | undefined));
  if (!(skew <= (options.maxClockSkewMs ?? 15 * 60_000))) return 'X-Sdk-Date is missing or too far from now';
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = req.headers[name];
    if (typeof value !== 'string') return `signed header ${name} is missing`;
    headers[name] = value;
  }
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const expected = signParts({ method: req.method ?? 'GET', url, headers, body }, options.credentials).signature;
  const matches = timingSafeEqual(Buffer.from(expected), Buffer.from(auth.signature));
  return matches ? undefined : 'signature does not match';
}

async function handleControl(req: IncomingMessage, res: ServerResponse, state: RunningSimulator): Promise<void> {
  const path = req.url?.slice(CONTROL_PREFIX.length);
  if (path === '/faults' && req.method === 'POST') {
    const parsed: unknown = JSON.parse((await readBody(req)).toString('utf8') || 'null');
    const faults = Array.isArray(parsed) ? parsed : [parsed];
    if (!faults.every(isFault)) return send(res, 400, { error: 'expected a fault or a list of faults' });
    faults.forEach((fault) => state.faults.push(fault));
    return send(res, 200, { queued: faults.length });
  }
  if (path === '/faults' && req.method === 'DELETE') {
    state.faults.clear();
    return send(res, 200, { cleared: true });
  }
  if (path === '/requests' && req.method === 'GET') {
    return send(res, 200, {
      count: state.receivedCount,
      requests: state.received.map((r) => r.body),
      headers: state.received.map((r) => r.headers),
    });
  }
  if (path === '/catalog-calls' && req.method === 'GET') return send(res, 200, { calls: state.catalogCalls });
  if (path === '/requests' && req.method === 'DELETE') {
    state.received.length = 0;
    state.receivedCount = 0;
    state.loggedNumbers = 0;
    state.catalogCalls.length = 0;
    return send(res, 200, { cleared: true });
  }
  const body = async () => JSON.parse((await readBody(req)).toString('utf8') || '{}') as Record<string, unknown>;
  if (path === '/subscription' && req.method === 'PUT') {
    const { endpoint } = await body();
    if (typeof endpoint !== 'string') return send(res, 400, { error: 'expected { endpoint }' });
    return send(res, 200, { confirmation: await state.events.subscribe(endpoint) });
  }
  if (path?.startsWith('/subscription/confirm') && req.method === 'GET') {
    (state as { confirmed: boolean }).confirmed = true;
    return send(res, 200, { confirmed: true });
  }
  if (path === '/certificate' && req.method === 'GET') {
    return send(res, 200, { certificate: state.certificatePem });
  }
  if (path === '/replies' && req.method === 'POST') {
    const given = await body();
    // The number as `endpoint` (as in a send), `number` or `mobile`; the text as `text` or `reply`.
    const endpoint = [given.endpoint, given.number, given.mobile].find((value) => typeof value === 'string');
    const text = [given.text, given.reply].find((value) => typeof value === 'string');
    const { signId } = given;
    const masked = given.masked ?? given.mask;
    if (typeof endpoint !== 'string' || typeof text !== 'string') {
      return send(res, 400, { error: 'expected { endpoint, text, masked? }' });
    }
    const status = await state.events.reply({
      endpoint,
      text,
      masked: masked === true,
      ...(typeof signId === 'string' && { signId }),
    });
    return send(res, 200, { status });
  }
  if (path === '/events/report' && req.method === 'POST') {
    const { messageId, statusDesc, success } = await body();
    if (typeof messageId !== 'string') return send(res, 400, { error: 'expected { messageId, statusDesc, success }' });
    const status = await state.events.report({
      messageId,
      statusDesc: typeof statusDesc === 'string' ? statusDesc : 'DELIVRD',
      success: success !== false,
    });
    return send(res, 200, { status });
  }
  if (path === '/events/duplicate' && req.method === 'POST')
    return send(res, 200, { status: await state.events.duplicate() });
  if (path === '/events/tampered' && req.method === 'POST')
    return send(res, 200, { status: await state.events.tampered() });
  if (path === '/events' && req.method === 'GET') {
    return send(res, 200, {
      events: state.events.posted.map((event) => ({
        ...event.envelope,
        status: event.status,
        attempts: event.attempts,
      })),
    });
  }
  return send(res, 404, { error: 'unknown simulator control route' });
}

function answer(
  res: ServerResponse,
  request: SmnPromotionRequest,
  fault: Fault | undefined,
  events: EventSource,
): void {
  const result = commitResults(request);
  if (fault?.kind === 'reorder') result.reverse();
  if (fault?.kind === 'omit') result.pop();
  if (fault?.kind === 'extra') result.push({ endpoint: '+19995550100', message_id: newId() });
  const body: SmnPromotionResponse = { request_id: newId(), result };
  events.scheduleReports(request, result);
  if (fault?.kind === 'huge') return streamPadded(res, fault.bytes ?? 0, JSON.stringify(body));
  send(res, 200, body);
}

/** Whitespace (valid before JSON) in 64 KiB chunks, written as the reader takes them, then the body. */
function streamPadded(res: ServerResponse, bytes: number, body: string): void {
  const chunk = Buffer.alloc(65_536, ' ');
  let left = bytes;
  res.writeHead(200, { 'content-type': 'application/json' });
  const pump = () => {
    while (left > 0 && !res.destroyed) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end(body);
  };
  pump();
}

/** Applies a fault; returns true when it fully handled (or deliberately dropped) the response. */
function misbehave(req: IncomingMessage, res: ServerResponse, fault: Fault): boolean {
  switch (fault.kind) {
    case 'status': {
      const status = fault.status ?? 500;
      const code = fault.code ?? (status >= 500 ? 'SMN.0018' : 'SMN.0006');
      const message = fault.message ?? 'Simulated failure.';
      if (code.startsWith('APIG')) apigError(res, status, code, message);
      else smnError(res, status, code, message);
      return true;
    }
    case 'rate-limit':
      apigError(res, 429, 'APIG.0308', 'The throttling threshold has been reached.', {
        ...(fault.retryAfter !== undefined && { 'retry-after': fault.retryAfter }),
      });
      return true;
    case 'reset':
      req.socket.destroy();
      return true;
    case 'hang':
      return true;
    case 'garbage':
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><body>502 Bad Gateway</body></html>');
      return true;
    default:
      return false;
  }
}

/** Answers 401 APIG.0301, as the API gateway does, when the request's AK/SK signature does not verify. */
function refusedUnsigned(req: IncomingMessage, body: Buffer, options: SimulatorOptions, res: ServerResponse): boolean {
  const failure = verifySignature(req, body, options);
  if (failure) apigError(res, 401, 'APIG.0301', `Incorrect IAM authentication information: ${failure}`);
  return failure !== undefined;
}

async function handlePromotion(
  req: IncomingMessage,
  res: ServerResponse,
  options: SimulatorOptions,
  state: RunningSimulator,
) {
  const body = await readBody(req);
  if (refusedUnsigned(req, body, options, res)) return;
  if (!String(req.headers['content-type']).startsWith('application/json')) {
    return smnError(res, 400, 'SMN.0006', 'Content-Type must be application/json.');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return smnError(res, 400, 'SMN.0006', 'The request body is not valid JSON.');
  }
  logRequest(state, { body: parsed, headers: req.headers });
  const fault = state.faults.take();
  if (fault?.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 1000));
  if (fault && misbehave(req, res, fault)) return;
  const checked = checkPromotionBody(parsed);
  if (isRefusal(checked)) return smnError(res, checked.status, checked.code, checked.message);
  answer(res, checked, fault, state.events);
}

/** GET .../sms_template, .../sms_template/{id}, .../sms_sign: the lists, signed, faults applied. */
async function handleCatalog(
  req: IncomingMessage,
  res: ServerResponse,
  options: SimulatorOptions,
  state: RunningSimulator,
  route: string,
) {
  if (refusedUnsigned(req, Buffer.alloc(0), options, res)) return;
  state.catalogCalls.push(req.url ?? route);
  const fault = state.faults.take();
  if (fault?.kind === 'latency') await new Promise((resolve) => setTimeout(resolve, fault.latencyMs ?? 1000));
  if (fault && misbehave(req, res, fault)) return;
  const query = new URL(req.url ?? '/', 'http://simulator').searchParams;
  if (route.endsWith('/sms_sign')) return send(res, 200, { request_id: newId(), ...signList() });
  if (route.endsWith('/sms_template')) return send(res, 200, { request_id: newId(), ...templateList(query) });
  const found = templateById(decodeURIComponent(route.slice(route.lastIndexOf('/') + 1)));
  if (!found) return smnError(res, 404, 'SMN.0162', 'The SMS template does not exist.');
  return send(res, 200, { request_id: newId(), ...found });
}

/** GET /v2/{project_id}/notifications/sms/report: reports by deliver time, a page at a time (signed). */
function handleReportQuery(
  req: IncomingMessage,
  res: ServerResponse,
  options: SimulatorOptions,
  state: RunningSimulator,
) {
  if (refusedUnsigned(req, Buffer.alloc(0), options, res)) return;
  const query = new URL(req.url ?? '/', 'http://simulator').searchParams;
  const number = (name: string, fallback: number) => {
    const value = Number(query.get(name) ?? fallback);
    return Number.isFinite(value) ? value : fallback;
  };
  const limit = Math.min(100, Math.max(1, number('limit', 100)));
  send(res, 200, {
    request_id: newId(),
    ...state.events.query(
      number('start_time', 0),
      number('end_time', Date.now()),
      Math.max(0, number('offset', 0)),
      limit,
    ),
  });
}

/** Starts a local SMN on a real HTTP port (0 picks a free one). */
/** Most numbers the request log holds; past it the older half of the requests is dropped. */
export const MAX_LOGGED_NUMBERS = 250_000;

const numbersIn = (request: ReceivedRequest) => {
  const endpoints = (request.body as { endpoints?: unknown } | null)?.endpoints;
  return Array.isArray(endpoints) ? endpoints.length : 0;
};

export function logRequest(
  log: { received: ReceivedRequest[]; receivedCount: number; loggedNumbers: number },
  request: ReceivedRequest,
): void {
  log.received.push(request);
  log.receivedCount += 1;
  log.loggedNumbers += numbersIn(request);
  if (log.loggedNumbers <= MAX_LOGGED_NUMBERS) return;
  for (const dropped of log.received.splice(0, Math.ceil(log.received.length / 2))) {
    log.loggedNumbers -= numbersIn(dropped);
  }
}

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator> {
  const path = promotionPath(options.projectId);
  const reportPath = `/v2/${encodeURIComponent(options.projectId)}/notifications/sms/report`;
  const catalogPrefix = `/v2/${encodeURIComponent(options.projectId)}/notifications/sms_`;
  const isCatalog = (route: string) =>
    route === `${catalogPrefix}sign` ||
    route === `${catalogPrefix}template` ||
    (route.startsWith(`${catalogPrefix}template/`) && route.split('/').length === 6);
  const identity = await createSigningIdentity();
  const certificatePath = `/smn/SMN_simulator_${randomBytes(8).toString('hex')}.pem`;
  const confirmToken = randomBytes(16).toString('hex');
  const state = {
    faults: new FaultQueue(),
    received: [] as ReceivedRequest[],
    receivedCount: 0,
    loggedNumbers: 0,
    catalogCalls: [] as string[],
    connections: 0,
    certificatePem: identity.certificatePem,
    confirmed: false,
  } as unknown as RunningSimulator & { url: string; connections: number; events: EventSource };
  state.events = createEventSource({
    identity,
    certificateUrl: () => `${state.url}${certificatePath}`,
    subscribeUrl: () => `${state.url}${CONTROL_PREFIX}/subscription/confirm?token=${confirmToken}`,
    reportDelayMs: options.reportDelayMs ?? 1_000,
    projectId: options.projectId,
    ...(options.reportRetry && { retry: options.reportRetry }),
  });
  const server = createServer((req, res) => {
    const route = req.url?.split('?')[0] ?? '';
    const handled = route.startsWith(CONTROL_PREFIX)
      ? handleControl(req, res, state)
      : req.method === 'POST' && route === path
        ? handlePromotion(req, res, options, state)
        : req.method === 'GET' && route === reportPath
          ? Promise.resolve(handleReportQuery(req, res, options, state))
          : req.method === 'GET' && isCatalog(route)
            ? handleCatalog(req, res, options, state, route)
            : req.method === 'GET' && route === certificatePath
              ? Promise.resolve(
                  void res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(identity.certificatePem),
                )
              : Promise.resolve(apigError(res, 404, 'APIG.0101', 'The API does not exist or has not been published.'));
    handled.catch(() => {
      if (!res.headersSent) smnError(res, 400, 'SMN.0006', 'Invalid request.');
    });
  });
  server.on('connection', () => (state.connections += 1));
  state.url = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  (state as { certificateUrl: string }).certificateUrl = `${state.url}${certificatePath}`;
  state.close = async () => {
    await state.events.close();
    await closeServer(server);
  };
  return state;
}
