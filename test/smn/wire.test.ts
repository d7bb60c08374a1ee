import { describe, expect, it } from 'vitest';
import { promotionRequestBody } from '../../src/smn/wire.js';

describe("promotionRequestBody: a send in the gateway's names as SMN's body", () => {
  it('builds the wire body with optional fields omitted (moved from send/publish: the adapter owns it)', () => {
    expect(promotionRequestBody({ endpoints: ['+1'], smsTemplateId: 't' })).toEqual({
      endpoints: ['+1'],
      sms_template_id: 't',
    });
    expect(
      promotionRequestBody({ endpoints: ['+1'], smsTemplateId: 't', signId: 's', extendCode: 'c', extendSrcId: '1' }),
    ).toEqual({
      endpoints: ['+1'],
      sms_template_id: 't',
      sign_id: 's',
      extend_code: 'c',
      extend_src_id: '1',
    });
  });

  it('never writes a key for an absent field (SMN refuses null), and copies the numbers', () => {
    const endpoints = ['+1', '+2'];
    const body = promotionRequestBody({
      endpoints,
      smsTemplateId: 't',
      signId: undefined,
      extendCode: undefined,
      extendSrcId: undefined,
    });
    expect(Object.keys(body)).toEqual(['endpoints', 'sms_template_id']);
    expect(body.endpoints).toEqual(endpoints);
    expect(body.endpoints).not.toBe(endpoints);
  });
});
