import { describe, expect, it } from 'vitest';
import { CampaignError } from '../../src/graphql/campaigns/types.js';
import { SmsTemplate } from '../../src/graphql/catalog/types.js';
import { smsFailedCodeOf } from '../../src/graphql/promotion-sms/sms-failed.js';

describe('codes served as enums, the raw value beside them', () => {
  it.each([
    ['SMN.0167', 'SMN_0167'],
    ['SMN.0057', 'SMN_0057'],
    ['OPTED_OUT', 'OPTED_OUT'],
    ['NO_RESULT', 'NO_RESULT'],
    ['DAILY_LIMIT_REACHED', 'DAILY_LIMIT_REACHED'],
    ['SMN_RATE_LIMITED', 'SMN_RATE_LIMITED'],
    ['STATE_FULL', 'STATE_FULL'],
    ['BAD_USER_INPUT', 'OTHER'],
    ['SMN.9999', 'OTHER'],
    ['SMN_0167', 'OTHER'],
    ['OTHER', 'OTHER'],
    ['__proto__', 'OTHER'],
    ['toString', 'OTHER'],
    ['', 'OTHER'],
  ])('SmsFailed code %j is %s', (raw, code) => {
    expect(smsFailedCodeOf(raw)).toBe(code);
  });

  it('a pause reason keeps SMN code from its message; an unknown reason is OTHER', () => {
    expect(CampaignError.from({ code: 'SMN_REJECTED', message: 'SMN.0188: not a promotion template' })).toEqual({
      code: 'SMN_REJECTED',
      smnCode: 'SMN.0188',
      message: 'SMN.0188: not a promotion template',
    });
    expect(CampaignError.from({ code: 'QUOTA_EXCEEDED', message: 'one batch is over the quota' })).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      smnCode: undefined,
    });
    expect(CampaignError.from({ code: 'SOMETHING_NEW', message: 'APIG.0308' })).toMatchObject({
      code: 'OTHER',
      smnCode: 'APIG.0308',
    });
  });

  it.each([
    ['2', 'CODE_2'],
    ['0', 'CODE_0'],
    ['7', 'OTHER'],
    ['__proto__', 'OTHER'],
    ['APPROVED', 'OTHER'],
  ])('template status %j is %s, kept raw in smnStatus', (raw, status) => {
    expect(SmsTemplate.from({ id: 't', name: 'n', status: raw, type: raw })).toMatchObject({
      status,
      smnStatus: raw,
      type: status,
      smnType: raw,
    });
  });

  it('a template SMN gave no status or type has null for both', () => {
    expect(SmsTemplate.from({ id: 't', name: 'n' })).toMatchObject({ status: undefined, smnStatus: undefined });
  });
});
