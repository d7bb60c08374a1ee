import { describe, expect, it, vi } from 'vitest';
import { PublishPromotionSmsDocument } from '../../client/generated.js';
import { startAppProcess } from '../helpers/app-process.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput } from '../helpers/inputs.js';
import { useStack } from '../helpers/stack.js';

const stack = useStack({ app: false });

describe('graceful shutdown (the real entry point as a child process)', () => {
  it('on SIGTERM mid-send: the in-flight send completes and answers, new requests are refused, exit 0', async () => {
    const app = await startAppProcess(stack.env({ SHUTDOWN_TIMEOUT_MS: '10000' }));
    await stack.simulator.fault({ kind: 'latency', latencyMs: 1500, times: 1 });
    const input = promotionInput({ endpoints: ['+8613800001001'] });
    const inFlight = execute(app.graphqlUrl, PublishPromotionSmsDocument, { input });
    let answered = false;
    const settle = () => {
      answered = true;
    };
    void inFlight.then(settle, settle);
    // The send has reached SMN (the simulator records it on arrival, then holds its answer 1.5 s).
    await vi.waitFor(async () => expect(await stack.simulator.requests()).toHaveLength(1), { timeout: 10_000 });
    const exitCode = app.kill('SIGTERM');
    const messages = () => app.lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    await vi.waitFor(() => expect(messages()).toContain('shutting down'), { timeout: 10_000 });
    // From here on the listener closes: a new request is refused (polled, as closing is asynchronous).
    await vi.waitFor(
      () =>
        expect(
          fetch(app.graphqlUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query: '{ __typename }' }),
          }),
        ).rejects.toThrow(),
      { timeout: 10_000 },
    );
    expect(answered).toBe(false); // refused while the send in flight was still draining

    const answer = await inFlight;
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.publishPromotionSms.sentCount).toBe(1);
    expect(await exitCode).toBe(0);
    expect(await stack.simulator.requests()).toHaveLength(1);
    expect(messages().indexOf('shutting down')).toBeLessThan(messages().indexOf('GraphQL operation'));
  });
});
