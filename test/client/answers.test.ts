import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PublishPromotionSmsDocument,
  promotionSmsRequest,
  request,
  SmsGatewayErrorCode,
  sendPromotionSms,
} from '../../client/index.js';
import { closeServer, listen } from '../../src/util/listen.js';
import { promotionInput } from '../helpers/inputs.js';

/** What a proxy in front of the service might answer instead of it, by path. */
const ANSWERS: Record<string, (response: ServerResponse) => void> = {
  '/html-502': (response) =>
    response.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>'),
  '/empty-503': (response) => response.writeHead(503).end(),
  '/text-200': (response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('OK'),
  '/json-500': (response) =>
    response
      .writeHead(500, { 'content-type': 'application/json', 'x-request-id': 'proxy-1' })
      .end('{"message":"oops"}'),
  '/null-data': (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":null}'),
  '/bad-errors': (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"errors":[42]}'),
  '/cut-json': (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{"publ'),
  '/proxy-413': (response) => response.writeHead(413, { 'content-type': 'text/html' }).end('<h1>Too large</h1>'),
  '/proxy-429': (response) => response.writeHead(429, { 'retry-after': '7' }).end('slow down'),
  '/proxy-429-date': (response) =>
    response.writeHead(429, { 'retry-after': new Date(Date.now() + 30_000).toUTCString() }).end(),
  '/hang-up': (response) => response.socket?.destroy(),
};

const server = createServer((req: IncomingMessage, response: ServerResponse) => {
  req.resume();
  req.on('end', () => (ANSWERS[req.url ?? ''] ?? ANSWERS['/empty-503']!)(response));
});
let base = '';
beforeAll(async () => {
  base = await listen(server, 0, '127.0.0.1');
});
afterAll(() => closeServer(server));

async function sendTo(path: string) {
  const result = await sendPromotionSms(promotionInput(), { url: `${base}${path}` });
  expect(result.ok).toBe(false);
  return result.ok ? undefined : result.error;
}

describe('the typed client with an answer that is not GraphQL (a proxy, a cut body)', () => {
  it('an HTML 502, an empty 503, a text 200, a foreign JSON 500: UNEXPECTED_RESPONSE, delivery UNKNOWN', async () => {
    expect(await sendTo('/html-502')).toEqual({
      code: SmsGatewayErrorCode.UnexpectedResponse,
      message: 'HTTP 502 (text/html), not a GraphQL answer',
      delivery: 'UNKNOWN',
      httpStatus: 502,
    });
    expect(await sendTo('/empty-503')).toMatchObject({
      code: SmsGatewayErrorCode.UnexpectedResponse,
      message: 'HTTP 503 (empty body), not a GraphQL answer',
      httpStatus: 503,
    });
    expect(await sendTo('/text-200')).toMatchObject({ code: 'UNEXPECTED_RESPONSE', httpStatus: 200 });
    expect(await sendTo('/json-500')).toMatchObject({
      code: 'UNEXPECTED_RESPONSE',
      httpStatus: 500,
      requestId: 'proxy-1',
    });
  });

  it('JSON that is not a GraphQL answer, or is cut short, is UNEXPECTED_RESPONSE too, never a SyntaxError', async () => {
    for (const path of ['/null-data', '/bad-errors', '/cut-json']) {
      expect(await sendTo(path), path).toMatchObject({ code: 'UNEXPECTED_RESPONSE', httpStatus: 200 });
    }
    // The other operations and the bare `request` answer the same way.
    const read = await promotionSmsRequest('r-1', { url: `${base}/html-502` });
    expect(read).toMatchObject({ ok: false, error: { code: 'UNEXPECTED_RESPONSE', httpStatus: 502 } });
    const raw = await request(PublishPromotionSmsDocument, { input: promotionInput() }, { url: `${base}/empty-503` });
    expect(raw).toMatchObject({ status: 503, errors: [{ extensions: { code: 'UNEXPECTED_RESPONSE' } }] });
  });

  it("a proxy's 413 and 429 are PAYLOAD_TOO_LARGE and RATE_LIMITED, NOT_SENT, with Retry-After", async () => {
    expect(await sendTo('/proxy-413')).toMatchObject({
      code: SmsGatewayErrorCode.PayloadTooLarge,
      delivery: 'NOT_SENT',
      httpStatus: 413,
    });
    expect(await sendTo('/proxy-429')).toMatchObject({
      code: SmsGatewayErrorCode.RateLimited,
      delivery: 'NOT_SENT',
      retryAfterSeconds: 7,
      httpStatus: 429,
    });
    const dated = await sendTo('/proxy-429-date');
    expect(dated?.retryAfterSeconds).toBeGreaterThanOrEqual(28);
    expect(dated?.retryAfterSeconds).toBeLessThanOrEqual(31);
  });

  it('only a network failure rejects', async () => {
    await expect(sendPromotionSms(promotionInput(), { url: `${base}/hang-up` })).rejects.toThrow(TypeError);
  });
});
