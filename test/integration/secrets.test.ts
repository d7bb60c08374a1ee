import { describe, expect, it } from 'vitest';
import { PublishPromotionSmsDocument } from '../../client/generated.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput } from '../helpers/inputs.js';
import { useStack } from '../helpers/stack.js';

const SECURITY_TOKEN = 'temporary-security-token-value-123456';
const NUMBERS = ['+8613812345678', '+14155550100', '13987654321'];

const stack = useStack({
  env: { HUAWEICLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN, SMN_TIMEOUT_MS: '500', SMN_CONNECT_TIMEOUT_MS: '200' },
});

describe('secrets and phone numbers stay out of responses and logs', () => {
  it('the SK, the security token and full numbers appear in no response and no log line', async () => {
    const responses: string[] = [];
    const send = async (input: { endpoints: string[]; smsTemplateId: string }) =>
      responses.push((await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, { input })).text);

    await send(promotionInput({ endpoints: NUMBERS }));
    await send({ endpoints: NUMBERS, smsTemplateId: 'dead' });
    for (const fault of [
      { kind: 'status', status: 500 },
      { kind: 'rate-limit', retryAfter: '3' },
      { kind: 'reset' },
      { kind: 'hang' },
      { kind: 'garbage' },
      { kind: 'extra' },
      { kind: 'omit' },
    ] as const) {
      await stack.simulator.fault(fault);
      await send(promotionInput({ endpoints: NUMBERS }));
    }
    await send(promotionInput({ endpoints: [...NUMBERS, 'not-a-number'] }));

    expect(stack.app.logs.lines.length).toBeGreaterThan(10);
    // The security token is sent to SMN as a header, so prove it was really in play.
    const received = (await fetch(`${stack.simulator.url}/_simulator/requests`).then((r) => r.json())) as {
      headers: Array<Record<string, string>>;
    };
    expect(received.headers[0]?.['x-security-token']).toBe(SECURITY_TOKEN);
    expect(received.headers[0]?.authorization).toContain('x-security-token');
    for (const text of [...responses, stack.app.logs.text]) {
      expect(text).not.toContain(stack.simulator.sk);
      expect(text).not.toContain(SECURITY_TOKEN);
    }
    for (const number of NUMBERS) expect(stack.app.logs.text).not.toContain(number);
  });

  it('the logger redacts credentials even when code logs them by mistake', () => {
    stack.app.logger.info(
      { credentials: { ak: 'a', sk: stack.simulator.sk }, sk: stack.simulator.sk, headers: { authorization: 'x' } },
      'oops',
    );
    expect(stack.app.logs.text).not.toContain(stack.simulator.sk);
    expect(stack.app.logs.lines.at(-1)).toContain('[REDACTED]');
  });
});
