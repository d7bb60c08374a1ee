import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { canonicalNumbersOf } from '../../src/graphql/endpoint-rules.js';
import { PublishPromotionSmsInput } from '../../src/graphql/promotion-sms/inputs.js';
import { validateInput } from '../../src/graphql/validation.js';

const input = (endpoints: string[]) =>
  Object.assign(new PublishPromotionSmsInput(), { endpoints, smsTemplateId: 'tpl' });

describe('phone numbers at the API edge', () => {
  it('a valid list is read once: its canonical numbers are the ones validation read', async () => {
    const valid = input(['13845352978', '+860013845352978', '+14155550100']);
    await validateInput(valid);
    const numbers = canonicalNumbersOf(valid.endpoints);
    expect(numbers).toEqual(['+8613845352978', '+8613845352978', '+14155550100']);
    expect(canonicalNumbersOf(valid.endpoints)).toBe(numbers);
    // A list validation never saw is read when asked.
    const unseen = ['+86013845352978'];
    expect(canonicalNumbersOf(unseen)).toEqual(['+8613845352978']);
    expect(canonicalNumbersOf(unseen)).not.toBe(canonicalNumbersOf(unseen));
  });

  it('every number the library cannot read is named by index, none echoed', async () => {
    const error = await validateInput(input(['+8613845352978', '+12345', '13845352978', '+8601234', 7 as never])).then(
      () => undefined,
      (refusal: unknown) => refusal as { extensions: Record<string, unknown>; message: string },
    );
    expect(error?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      validationErrorCount: 3,
      validationErrors: [{ field: 'endpoints[1]' }, { field: 'endpoints[3]' }, { field: 'endpoints[4]' }],
    });
    expect(JSON.stringify(error?.extensions)).not.toMatch(/12345|01234/);
  });
});
