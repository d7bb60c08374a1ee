import { describe, expect, it } from 'vitest';
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
    for (let attempt = 0; attempt < 100 && (await stack.simulator.requests()).length === 0; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const exitCode = app.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(
      fetch(app.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
      }),
    ).rejects.toThrow();

    const answer = await inFlight;
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.publishPromotionSms.sentCount).toBe(1);
    expect(await exitCode).toBe(0);
    expect(await stack.simulator.requests()).toHaveLength(1);
    const messages = app.lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
    expect(messages.indexOf('shutting down')).toBeLessThan(messages.indexOf('GraphQL operation'));
  });
});
