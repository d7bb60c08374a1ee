import { beforeEach, describe, expect, it } from 'vitest';
import { useStack } from '../helpers/stack.js';
import { post } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { mint } from '../helpers/jwks.js';

const stack = useStack({ auth: true, env: { QUOTA_RECIPIENTS_PER_MINUTE: '5', QUOTA_RECIPIENTS_PER_DAY: '8' } });
beforeEach(() => stack.simulator.reset());

const numbers = (count: number, offset = 0) =>
  Array.from({ length: count }, (_, index) => `+861380000${String(1001 + offset + index)}`);
const tokenFor = (subject: string) =>
  mint(stack.key, { subject, scope: 'sms:promotion:send' }).then((token) => ({ authorization: `Bearer ${token}` }));
const send = (headers: Record<string, string>, endpoints: string[], smsTemplateId = 'tpl') =>
  publish(stack.app, promotionInput({ endpoints, smsTemplateId }), headers);

describe('per-caller recipient quotas', () => {
  it('counts recipients across requests and refuses the batch that would exceed the minute quota', async () => {
    const bob = await tokenFor('bob');
    expect((await send(bob, numbers(3))).data?.publishPromotionSms.sentCount).toBe(3);
    // Duplicates are not charged: 2 distinct numbers.
    expect((await send(bob, [...numbers(2, 10), ...numbers(2, 10)])).errors).toBeUndefined();
    await stack.simulator.reset();

    const refused = await send(bob, numbers(1, 20));
    const error = refused.errors?.[0];
    expect(error?.extensions?.code).toBe('RATE_LIMITED');
    expect(error?.extensions?.retryAfterSeconds).toEqual(expect.any(Number));
    expect(error?.extensions?.retryAfterSeconds as number).toBeGreaterThan(0);
    expect(error?.extensions?.retryAfterSeconds as number).toBeLessThanOrEqual(60);
    expect(await stack.simulator.requests()).toEqual([]);

    // Another caller has a quota of its own.
    expect((await send(await tokenFor('carol'), numbers(3))).errors).toBeUndefined();
  });

  it('gives the quota back when SMN provably did not send (a rejected template)', async () => {
    const dave = await tokenFor('dave');
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const rejected = await send(dave, numbers(4), 'dead-template');
      expect(rejected.errors?.[0]?.extensions?.code).toBe('SMN_REJECTED');
    }
    expect((await send(dave, numbers(4))).data?.publishPromotionSms.sentCount).toBe(4);
  });

  it('refuses a batch larger than the whole quota with QUOTA_EXCEEDED: no false retryAfterSeconds', async () => {
    const erin = await tokenFor('erin');
    const result = await send(erin, numbers(6));
    expect(result.status).toBe(200);
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'QUOTA_EXCEEDED', delivery: 'NOT_SENT', maxRecipients: 5 });
    expect(await stack.simulator.requests()).toEqual([]);
    // Nothing was taken: the whole minute quota is still there.
    expect((await send(erin, numbers(5))).data?.publishPromotionSms.sentCount).toBe(5);
  });
});

describe('GraphQL hardening (refused at validation, before any resolver runs)', () => {
  it('refuses two sends in one operation, by alias or by fragment', async () => {
    const headers = await tokenFor('frank');
    const aliased = await post(
      stack.app.graphqlUrl,
      `mutation { a: publishPromotionSms(input: { endpoints: ["+8613800001001"], smsTemplateId: "t" }) { sentCount }
                  b: publishPromotionSms(input: { endpoints: ["+8613800001002"], smsTemplateId: "t" }) { sentCount } }`,
      {},
      headers,
    );
    expect(aliased.status).toBe(400);
    expect(aliased.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(aliased.errors?.[0]?.message).toMatch(/at most once/);
    const viaFragment = await post(
      stack.app.graphqlUrl,
      `mutation { ...Send ...Send }
       fragment Send on Mutation { publishPromotionSms(input: { endpoints: ["+8613800001001"], smsTemplateId: "t" }) { sentCount } }`,
      {},
      headers,
    );
    expect(viaFragment.status).toBe(400);
    expect(await stack.simulator.requests()).toEqual([]);
  });

  it('refuses a 1000-alias query', async () => {
    const aliases = Array.from({ length: 1000 }, (_, index) => `a${index}: promotionSmsLimits { maxEndpoints }`).join(
      ' ',
    );
    const result = await post(stack.app.graphqlUrl, `{ ${aliases} }`, {}, await tokenFor('gina'));
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.message).toMatch(/alias/i);
  });

  it('refuses deep nesting, introspection included', async () => {
    let selection = 'name';
    for (let level = 0; level < 12; level += 1) selection = `fields { type { ${selection} } }`;
    const result = await post(stack.app.graphqlUrl, `{ __schema { types { ${selection} } } }`);
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.message).toMatch(/depth/i);
  });

  it('refuses an oversize body with 413, and still takes 1000 numbers', async () => {
    const huge = 'x'.repeat(1_200_000);
    const response = await fetch(stack.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, variables: { pad: huge } }),
    });
    expect(response.status).toBe(413);
    expect(
      ((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]?.extensions.code,
    ).toBe('PAYLOAD_TOO_LARGE');
    const big = await send(
      await tokenFor('hank'),
      numbers(1000).map((n, i) => `${n}${i}`.slice(0, 15)),
    );
    expect(big.status).toBe(200);
  });

  it('does not accept batched HTTP requests', async () => {
    const response = await fetch(stack.app.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
  });

  it('keeps CSRF prevention on: a simple GET without a preflight header is refused', async () => {
    const response = await fetch(`${stack.app.graphqlUrl}?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });
});
