import { beforeEach, describe, expect, it } from 'vitest';
import { PromotionSmsLimitsDocument } from '../../client/generated.js';
import { useStack } from '../helpers/stack.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { execute } from '../helpers/graphql.js';
import { national, SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';

const NO_SUCH_NUMBER = national(SIMULATOR_NUMBERS.noSuchNumber);
const FREQUENCY_LIMITED = national(SIMULATOR_NUMBERS.frequencyLimited);

const stack = useStack();

beforeEach(() => stack.simulator.reset());

describe('publishPromotionSms end to end (app on port 0 -> simulator process)', () => {
  it('sends a batch and returns SmsSent | SmsFailed in input order with counts', async () => {
    const result = await publish(stack.app, {
      endpoints: ['+8613812345678', NO_SUCH_NUMBER, '+447700900123', FREQUENCY_LIMITED],
      smsTemplateId: 'tpl_promo-1',
      signId: 'sign_1',
    });
    expect(result.errors).toBeUndefined();
    const payload = result.data!.publishPromotionSms;
    expect(payload.requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(payload.results.map((r) => [r.__typename, r.endpoint])).toEqual([
      ['SmsSent', '+8613812345678'],
      ['SmsFailed', NO_SUCH_NUMBER],
      ['SmsSent', '+447700900123'],
      ['SmsFailed', FREQUENCY_LIMITED],
    ]);
    const [sent, failed] = payload.results;
    expect(sent?.__typename === 'SmsSent' && sent.messageId).toMatch(/^[0-9a-f]{32}$/);
    expect(failed).toMatchObject({
      code: 'SMN_0167',
      smnCode: 'SMN.0167',
      message: 'The phone number does not exist.',
    });
    expect(payload.results[3]).toMatchObject({ code: 'SMN_0057', smnCode: 'SMN.0057' });
    expect(payload).toMatchObject({ sentCount: 2, failedCount: 2, duplicatesRemoved: 0 });
  });

  it('removes duplicates (one phone in any spelling) before sending, keeps the first, and counts them', async () => {
    const result = await publish(stack.app, {
      endpoints: ['13812345678', '+8613812345678', '13812345678', '+14155550100', '+86013812345678'],
      smsTemplateId: 'tpl',
    });
    const payload = result.data!.publishPromotionSms;
    expect(payload.duplicatesRemoved).toBe(3);
    // Each outcome under the number as the caller wrote it; SMN is sent the E.164 form.
    expect(payload.results.map((r) => r.endpoint)).toEqual(['13812345678', '+14155550100']);
    const [body] = (await stack.simulator.requests()) as Array<{ endpoints: string[] }>;
    expect(body?.endpoints).toEqual(['+8613812345678', '+14155550100']);
  });

  it('sends a snake_case JSON body with optional fields omitted, not null', async () => {
    await publish(stack.app, promotionInput({ endpoints: ['+14155550100'] }));
    await publish(stack.app, {
      endpoints: ['+14155550100'],
      smsTemplateId: 'tpl',
      signId: 'sig',
      extendCode: '双11促销',
      extendSrcId: '12345678',
    });
    expect(await stack.simulator.requests()).toEqual([
      { endpoints: ['+14155550100'], sms_template_id: 'tpl' },
      {
        endpoints: ['+14155550100'],
        sms_template_id: 'tpl',
        sign_id: 'sig',
        extend_code: '双11促销',
        extend_src_id: '12345678',
      },
    ]);
  });

  it('treats an explicit null optional field as absent', async () => {
    const result = await publish(
      stack.app,
      promotionInput({ endpoints: ['+14155550100'], signId: null, extendCode: null }),
    );
    expect(result.errors).toBeUndefined();
    expect(await stack.simulator.requests()).toEqual([{ endpoints: ['+14155550100'], sms_template_id: 'tpl' }]);
  });

  it('keeps input order whatever order SMN answers in', async () => {
    await stack.simulator.fault({ kind: 'reorder' });
    const result = await publish(
      stack.app,
      promotionInput({ endpoints: ['+14155550101', '+14155550102', '+14155550103'] }),
    );
    expect(result.data!.publishPromotionSms.results.map((r) => r.endpoint)).toEqual([
      '+14155550101',
      '+14155550102',
      '+14155550103',
    ]);
  });

  it('reports a number SMN returned no result for as SmsFailed NO_RESULT', async () => {
    await stack.simulator.fault({ kind: 'omit' });
    const result = await publish(stack.app, promotionInput({ endpoints: ['+14155550101', '+14155550102'] }));
    const payload = result.data!.publishPromotionSms;
    expect(payload.results[1]).toEqual({
      __typename: 'SmsFailed',
      endpoint: '+14155550102',
      code: 'NO_RESULT',
      smnCode: null,
      message: 'SMN returned no result for this number',
    });
    expect(payload).toMatchObject({ sentCount: 1, failedCount: 1 });
  });

  it('drops (and logs, masked) a result for a number that was not sent', async () => {
    await stack.simulator.fault({ kind: 'extra' });
    const result = await publish(stack.app, promotionInput({ endpoints: ['+14155550101'] }));
    expect(result.data!.publishPromotionSms.results.map((r) => r.endpoint)).toEqual(['+14155550101']);
    expect(stack.app.logs.text).toContain('"endpoint":"+1******0100"');
    expect(stack.app.logs.text).not.toContain('+19995550100');
  });

  it('signs content-type, host, x-sdk-date and x-project-id, and the simulator verifies it', async () => {
    const result = await publish(stack.app, promotionInput({ endpoints: ['+14155550100'] }));
    expect(result.errors).toBeUndefined();
    const response = await fetch(`${stack.simulator.url}/v2/${stack.simulator.projectId}/notifications/sms/promotion`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error_code: 'APIG.0301' });
  });

  it('carries the caller request id through and back', async () => {
    const result = await publish(stack.app, promotionInput({ endpoints: ['+14155550100'] }), {
      'x-request-id': 'req-abc-123',
    });
    expect(result.headers.get('x-request-id')).toBe('req-abc-123');
    expect(
      stack.app.logs.entries().some((e) => e.requestId === 'req-abc-123' && e.msg === 'promotion SMS batch published'),
    ).toBe(true);
  });

  it('answers promotionSmsLimits with the limits it enforces', async () => {
    const result = await execute(stack.app.graphqlUrl, PromotionSmsLimitsDocument, {});
    expect(result.data?.promotionSmsLimits).toEqual({
      maxEndpoints: 1000,
      extendCodeMaxBytes: 32,
      extendSrcIdMaxDigits: 8,
    });
  });

  it('sends 1000 numbers in one call', async () => {
    const endpoints = Array.from({ length: 1000 }, (_, i) => `+1415555${String(i).padStart(4, '0')}`);
    const result = await publish(stack.app, { endpoints, smsTemplateId: 'tpl' });
    const payload = result.data!.publishPromotionSms;
    expect(payload.results).toHaveLength(1000);
    expect(payload.failedCount).toBe(2); // +14155550000 (0000) and +14155550057 (0057)
    expect((await stack.simulator.requests()).length).toBe(1);
  });
});
