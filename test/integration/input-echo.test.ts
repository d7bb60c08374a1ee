import { describe, expect, it } from 'vitest';
import { PublishPromotionSmsDocument } from '../../client/generated.js';
import { useStack } from '../helpers/stack.js';
import { post } from '../helpers/graphql.js';
import { print } from 'graphql';

const PHONE = '+8613812340000';
const DIGITS = '8613812345678';

const stack = useStack({ env: { NODE_ENV: 'production' } });

const publish = (input: unknown) => post(stack.app.graphqlUrl, print(PublishPromotionSmsDocument), { input });

describe('input that fails GraphQL coercion is never echoed (production mode)', () => {
  it.each<[string, unknown, string]>([
    [
      'a number given as a JSON number',
      { endpoints: [Number(DIGITS)], smsTemplateId: 'tpl' },
      'Variable "$input" got invalid value at "input.endpoints[0]"; Expected value of type "String!".',
    ],
    [
      'a missing required field',
      { endpoints: [PHONE, DIGITS] },
      'Variable "$input" got invalid value at "input"; Field "smsTemplateId" of required type "String!" was not provided.',
    ],
    [
      'an unknown field',
      { endpoints: [PHONE], smsTemplateId: 'tpl', recipients: [PHONE] },
      'Variable "$input" got invalid value at "input"; Field "recipients" is not defined by type "PublishPromotionSmsInput".',
    ],
    [
      'an unknown field named after a number',
      { endpoints: [PHONE], smsTemplateId: 'tpl', [PHONE]: true },
      'Variable "$input" got invalid value at "input"; A field is not defined by type "PublishPromotionSmsInput".',
    ],
    [
      'a string where an object belongs',
      PHONE,
      'Variable "$input" got invalid value at "input"; Expected type "PublishPromotionSmsInput" to be an object.',
    ],
    [
      'a list where a string belongs',
      { endpoints: [PHONE], smsTemplateId: [PHONE] },
      'Variable "$input" got invalid value at "input.smsTemplateId"; Expected value of type "String!".',
    ],
  ])('%s: names the path and the rule, never the value', async (_name, input, message) => {
    const result = await publish(input);
    expect(result.status).toBe(400);
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.message).toBe(message);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.text).not.toContain(DIGITS);
    expect(result.text).not.toContain(PHONE.slice(1));
    expect(stack.app.logs.text).not.toContain(PHONE.slice(1));
    expect(await stack.simulator.requests()).toEqual([]);
  });

  it('lists every problem by path, each without its value', async () => {
    const result = await publish({ endpoints: [1, PHONE, 3], smsTemplateId: 7 });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      validationErrorCount: 3,
      validationErrors: [
        { field: 'input.endpoints[0]', message: 'Expected value of type "String!".' },
        { field: 'input.endpoints[2]', message: 'Expected value of type "String!".' },
        { field: 'input.smsTemplateId', message: 'Expected value of type "String!".' },
      ],
    });
  });

  it('a literal written in the document is not echoed either', async () => {
    const result = await post(
      stack.app.graphqlUrl,
      `mutation { publishPromotionSms(input: { endpoints: [${DIGITS}], smsTemplateId: "tpl" }) { requestId } }`,
    );
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.message).toBe('String cannot represent a non string value.');
    expect(result.text).not.toContain(DIGITS);
    const missing = await post(
      stack.app.graphqlUrl,
      `mutation { publishPromotionSms(input: { endpoints: ["${PHONE}"] }) { requestId } }`,
    );
    expect(missing.errors?.[0]?.message).toBe(
      'Field "PublishPromotionSmsInput.smsTemplateId" of required type "String!" was not provided.',
    );
  });
});

describe('a document that does not parse is not echoed either', () => {
  it.each([
    ['a number where a name belongs', `{ sentSms(messageId: 1) { ${DIGITS} } }`],
    [
      'a number after a field',
      `mutation { publishPromotionSms(input: { endpoints: [${DIGITS}] smsTemplateId: "t" }) ${DIGITS} }`,
    ],
    ['a string where a name belongs', `{ "${PHONE}" }`],
    ['a block string where a name belongs', `{ """${PHONE}""" }`],
    ['a float', `{ 1.${DIGITS} }`],
  ])('%s', async (_name, query) => {
    const result = await post(stack.app.graphqlUrl, query);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(result.errors?.[0]?.message).toMatch(/^Syntax Error: /);
    expect(result.text).not.toContain('13812');
  });
});
