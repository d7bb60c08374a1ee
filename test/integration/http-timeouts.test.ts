import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';

const stack = useStack({ env: { HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_HEADERS_TIMEOUT_MS: '1000' } });

/** Opens a raw connection, writes `head`, then trickles `body` a byte at a time; resolves with what came back. */
function trickle(head: string, body: string, everyMs: number): Promise<{ answer: string; closedAfterMs: number }> {
  const { port } = new URL(stack.app.url);
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect(Number(port), '127.0.0.1');
    let answer = '';
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < body.length && !socket.destroyed) socket.write(body[sent++]!);
    }, everyMs);
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ answer, closedAfterMs: performance.now() - started });
    });
    socket.write(head);
  });
}

describe('a client that trickles its request in', () => {
  it('is answered 408 and disconnected after HTTP_REQUEST_TIMEOUT_MS, not held for minutes', async () => {
    const body = JSON.stringify({ query: '{ __typename }' });
    const head = `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { answer, closedAfterMs } = await trickle(head, body, 500);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeLessThan(10_000); // the whole body would take 15 s at this pace
  });

  it('that never finishes its headers is cut off after HTTP_HEADERS_TIMEOUT_MS', async () => {
    const { answer, closedAfterMs } = await trickle(
      'POST /graphql HTTP/1.1\r\nHost: x\r\n',
      'X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      500,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(closedAfterMs).toBeLessThan(10_000);
  });

  it('a normal request is unaffected', async () => {
    const response = await fetch(stack.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(response.status).toBe(200);
  });
});
