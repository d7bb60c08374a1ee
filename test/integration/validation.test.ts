import { beforeEach, describe, expect, it } from 'vitest';
import { PublishPromotionSmsDocument, type PublishPromotionSmsInput } from '../../client/generated.js';
import { type TestApp } from '../helpers/app.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput } from '../helpers/inputs.js';
import { useApp, useStack } from '../helpers/stack.js';

const stack = useStack();
const inProduction = useApp(stack, { NODE_ENV: 'production' });
beforeEach(() => stack.simulator.reset());

const VALID: PublishPromotionSmsInput = promotionInput({ endpoints: ['+14155550100'] });

interface Refusal {
  fields: string[];
  messages: string[];
  count: number;
  text: string;
}

/** Sends input that must be refused; checks the refusal's shape and that nothing reached SMN. */
async function refused(input: PublishPromotionSmsInput, target: TestApp = stack.app): Promise<Refusal> {
  const result = await execute(target.graphqlUrl, PublishPromotionSmsDocument, { input });
  expect(result.data).toBeNull();
  expect(result.errors).toHaveLength(1);
  const extensions = result.errors![0]!.extensions as {
    code: string;
    validationErrors: Array<{ field: string; message: string }>;
    validationErrorCount: number;
  };
  expect(extensions.code).toBe('BAD_USER_INPUT');
  for (const entry of extensions.validationErrors) expect(Object.keys(entry).sort()).toEqual(['field', 'message']);
  expect(await stack.simulator.requests()).toEqual([]);
  return {
    fields: extensions.validationErrors.map((e) => e.field),
    messages: extensions.validationErrors.map((e) => e.message),
    count: extensions.validationErrorCount,
    text: result.text,
  };
}

async function accepted(input: PublishPromotionSmsInput): Promise<void> {
  const result = await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, { input });
  expect(result.errors).toBeUndefined();
  expect(result.data?.publishPromotionSms.results.length).toBeGreaterThan(0);
}

describe('input validation: nothing is sent when any rule fails', () => {
  it('refuses an empty endpoint list', async () => {
    expect((await refused({ ...VALID, endpoints: [] })).fields).toEqual(['endpoints']);
  });

  it('counts endpoints before removing duplicates: 1001 copies of one number are refused', async () => {
    const { fields, messages } = await refused({ ...VALID, endpoints: Array(1001).fill('+14155550100') });
    expect(fields).toEqual(['endpoints']);
    expect(messages[0]).toMatch(/at most 1000/);
  });

  it('accepts 1000 numbers as given, including duplicates', async () => {
    await accepted({ ...VALID, endpoints: Array(1000).fill('+14155550100') });
  });

  it('refuses a list over the limit by its size alone: none of its numbers is read or listed', async () => {
    const { fields, count } = await refused({ ...VALID, endpoints: Array(1001).fill('+12345') });
    expect(fields).toEqual(['endpoints']);
    expect(count).toBe(1);
  });

  it.each([
    '+8613812345678',
    '13812345678',
    '8613812345678',
    '+86013812345678', // a trunk prefix after the country code: the same phone as +8613812345678
    '+14155550100',
    '+80012345678', // a non-geographic code
    '+447700900123', // reserved for drama, not valid, yet a possible UK number
  ])('accepts the phone number %s', async (endpoint) => {
    await accepted({ ...VALID, endpoints: [endpoint] });
  });

  it.each([
    ['no digits', 'abc'],
    ['a leading zero country code', '+0123456789'],
    ['too short after +', '+1234'],
    ['too long after +', '+1234567890123456'],
    ['a space', '+86 13812345678'],
    ['a domestic number of 10 digits', '1381234567'],
    ['a domestic number not starting with 1', '23812345678'],
    ['a trailing newline', '+8613812345678\n'],
    ['an empty string', ''],
    ['full-width digits', '+８６１３８１２３４５６７８'],
    // SMN's form ("+" and 5 to 15 digits), but libphonenumber-js reads no possible number of its country:
    ['too few digits for its country', '+12345'],
    ['too many digits for its country', '+123456789012345'],
    ['a country code nobody has', '+999123456'],
    ['too few digits for China', '+8601234'],
  ])('refuses an endpoint with %s and names its index', async (_name, endpoint) => {
    const { fields } = await refused({ ...VALID, endpoints: ['+14155550100', '13812345678', endpoint] });
    expect(fields).toEqual(['endpoints[2]']);
  });

  it('lists one entry per bad item, capped at 50, with the total count, and echoes no number', async () => {
    const endpoints = Array.from({ length: 120 }, (_, i) => `+1-bad-${1000 + i}`);
    const { fields, count, text } = await refused({ ...VALID, endpoints });
    expect(fields).toHaveLength(50);
    expect(fields[0]).toBe('endpoints[0]');
    expect(fields[49]).toBe('endpoints[49]');
    expect(count).toBe(120);
    expect(text).not.toContain('+1-bad-');
  });

  it('never echoes the input back, even when one number of many is bad', async () => {
    const endpoints = Array.from({ length: 999 }, (_, i) => `+8613${String(100_000_000 + i)}`);
    endpoints.push('oops');
    const { fields, text } = await refused({ ...VALID, endpoints });
    expect(fields).toEqual(['endpoints[999]']);
    expect(text).not.toContain('+8613100000000');
    expect(text).not.toContain('oops');
    expect(text.length).toBeLessThan(4000);
  });

  it.each([
    ['empty', ''],
    ['a slash', 'a/b'],
    ['a path', '../../v3/users'],
    ['a control character', 'tpl\u0000'],
    ['a newline', 'tpl\n'],
    ['a space', 'tpl 1'],
    ['65 characters', 'a'.repeat(65)],
  ])('refuses smsTemplateId with %s', async (_name, smsTemplateId) => {
    expect((await refused({ ...VALID, smsTemplateId })).fields).toEqual(['smsTemplateId']);
  });

  it('accepts a 64-character template id of letters, digits, - and _', async () => {
    await accepted({ ...VALID, smsTemplateId: `${'a'.repeat(60)}-_Z9` });
  });

  it.each([
    ['empty', ''],
    ['a slash', 'x/y'],
    ['65 characters', 'b'.repeat(65)],
  ])('refuses signId with %s (an empty optional field is refused, not dropped)', async (_name, signId) => {
    expect((await refused({ ...VALID, signId })).fields).toEqual(['signId']);
  });

  it('measures extendCode in UTF-8 bytes: 11 Chinese characters (33 bytes) are refused', async () => {
    expect((await refused({ ...VALID, extendCode: '促'.repeat(11) })).fields).toEqual(['extendCode']);
    expect((await refused({ ...VALID, extendCode: 'x'.repeat(33) })).fields).toEqual(['extendCode']);
    expect((await refused({ ...VALID, extendCode: '' })).fields).toEqual(['extendCode']);
  });

  it('accepts extendCode up to 32 bytes', async () => {
    await accepted({ ...VALID, extendCode: 'x'.repeat(32) });
    await accepted({ ...VALID, extendCode: `${'促'.repeat(10)}ab` });
  });

  it.each([
    ['empty', ''],
    ['9 digits', '123456789'],
    ['a letter', '12a'],
    ['non-ASCII digits', '١٢٣'],
    ['a sign', '-1'],
  ])('refuses extendSrcId with %s', async (_name, extendSrcId) => {
    expect((await refused({ ...VALID, extendSrcId })).fields).toEqual(['extendSrcId']);
  });

  it('accepts extendSrcId of 1 to 8 ASCII digits', async () => {
    await accepted({ ...VALID, extendSrcId: '0' });
    await accepted({ ...VALID, extendSrcId: '12345678' });
  });

  it('reports every failing field at once', async () => {
    const { fields } = await refused({
      endpoints: ['bad'],
      smsTemplateId: '',
      signId: '',
      extendCode: '',
      extendSrcId: 'x',
    });
    expect(fields.sort()).toEqual(['endpoints[0]', 'extendCode', 'extendSrcId', 'signId', 'smsTemplateId']);
  });

  it('shows a stack trace in development only, never with NODE_ENV=production', async () => {
    const development = await execute(stack.app.graphqlUrl, PublishPromotionSmsDocument, {
      input: { ...VALID, smsTemplateId: '' },
    });
    expect(development.errors?.[0]?.extensions?.stacktrace).toBeDefined();
    const production = await refused({ ...VALID, smsTemplateId: '' }, inProduction.app);
    expect(production.text).not.toContain('stacktrace');
    expect(production.text).not.toContain('.ts:');
  });
});
