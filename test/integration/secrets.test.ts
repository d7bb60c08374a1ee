import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublishPromotionSmsDocument } from '../../client/generated.js';
import { envFor, startApp, type TestApp } from '../helpers/app.js';
import { execute } from '../helpers/graphql.js';
import { startSimulatorProcess, type SimulatorProcess } from '../helpers/simulator-process.js';

let simulator: SimulatorProcess;
let app: TestApp;
const SECURITY_TOKEN = 'temporary-security-token-value-123456';
const NUMBERS = ['+8613812345678', '+14155550100', '13987654321'];

beforeAll(async () => {
  simulator = await startSimulatorProcess();
  app = await startApp(
    envFor(simulator, {
      HUAWEICLOUD_SDK_SECURITY_TOKEN: SECURITY_TOKEN,
      SMN_TIMEOUT_MS: '500',
      SMN_CONNECT_TIMEOUT_MS: '200',
    }),
  );
});
afterAll(async () => {
  await app?.close();
  await simulator?.stop();
});

describe('secrets and phone numbers stay out of responses and logs', () => {
  it('the SK, the security token and full numbers appear in no response and no log line', async () => {
    const responses: string[] = [];
    const send = async (input: { endpoints: string[]; smsTemplateId: string }) =>
      responses.push((await execute(app.graphqlUrl, PublishPromotionSmsDocument, { input })).text);

    await send({ endpoints: NUMBERS, smsTemplateId: 'tpl' });
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
      await simulator.fault(fault);
      await send({ endpoints: NUMBERS, smsTemplateId: 'tpl' });
    }
    await send({ endpoints: [...NUMBERS, 'not-a-number'], smsTemplateId: 'tpl' });

    expect(app.logs.lines.length).toBeGreaterThan(10);
    // The security token is sent to SMN as a header, so prove it was really in play.
    const received = (await fetch(`${simulator.url}/_simulator/requests`).then((r) => r.json())) as {
      headers: Array<Record<string, string>>;
    };
    expect(received.headers[0]?.['x-security-token']).toBe(SECURITY_TOKEN);
    expect(received.headers[0]?.authorization).toContain('x-security-token');
    for (const text of [...responses, app.logs.text]) {
      expect(text).not.toContain(simulator.sk);
      expect(text).not.toContain(SECURITY_TOKEN);
    }
    for (const number of NUMBERS) expect(app.logs.text).not.toContain(number);
  });

  it('the logger redacts credentials even when code logs them by mistake', () => {
    app.logger.info(
      { credentials: { ak: 'a', sk: simulator.sk }, sk: simulator.sk, headers: { authorization: 'x' } },
      'oops',
    );
    expect(app.logs.text).not.toContain(simulator.sk);
    expect(app.logs.lines.at(-1)).toContain('[REDACTED]');
  });
});
