import { beforeEach, describe, expect, it } from 'vitest';
import { AddOptOutsDocument, OptOutsDocument, RemoveOptOutsDocument } from '../../client/generated.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { useStack } from '../helpers/stack.js';

const stack = useStack();
beforeEach(() => stack.simulator.reset());

/** A number of its own per test: the app (and its opt-out list) lives for the whole file. */
let next = 1000;
const chinaMobile = () => `139${String((next += 1)).padStart(8, '0')}`;

const add = (endpoints: string[], reason?: string, headers: Record<string, string> = {}) =>
  execute(stack.app.graphqlUrl, AddOptOutsDocument, { input: { endpoints, ...(reason && { reason }) } }, headers);
const remove = (endpoints: string[]) => execute(stack.app.graphqlUrl, RemoveOptOutsDocument, { input: { endpoints } });
const status = (endpoints: string[]) => execute(stack.app.graphqlUrl, OptOutsDocument, { endpoints });

/** The numbers SMN was actually asked to send to, over every call so far. */
async function sentToSmn(): Promise<string[]> {
  const requests = (await stack.simulator.requests()) as Array<{ endpoints: string[] }>;
  return requests.flatMap((request) => request.endpoints);
}

describe('the opt-out list, enforced before SMN is called', () => {
  it('an opt-out as 13912345678 holds back +86… and 86… spellings too; SMN never sees them', async () => {
    const domestic = chinaMobile();
    expect((await add([domestic])).data?.addOptOuts).toEqual({ changed: 1, unchanged: 0 });
    const other = chinaMobile();
    const result = await publish(stack.app, promotionInput({ endpoints: [`+86${domestic}`, other] }));
    expect(result.errors).toBeUndefined();
    const payload = result.data!.publishPromotionSms;
    expect(
      payload.results.map((entry) => [entry.__typename, entry.endpoint, 'code' in entry ? entry.code : 'sent']),
    ).toEqual([
      ['SmsFailed', `+86${domestic}`, 'OPTED_OUT'],
      ['SmsSent', other, 'sent'],
    ]);
    expect(payload).toMatchObject({ sentCount: 1, failedCount: 1, suppressedCount: 1 });
    const again = await publish(stack.app, promotionInput({ endpoints: [`86${domestic}`] }));
    expect(again.data?.publishPromotionSms.results).toEqual([
      expect.objectContaining({ endpoint: `86${domestic}`, code: 'OPTED_OUT' }),
    ]);
    expect(await sentToSmn()).toEqual([`+86${other}`]);
  });

  it('a batch of opted-out numbers only: no SMN call, every result OPTED_OUT, our request id, no error', async () => {
    const numbers = [chinaMobile(), `+86${chinaMobile()}`];
    await add(numbers);
    const result = await publish(stack.app, promotionInput({ endpoints: numbers }), { 'x-request-id': 'all-held-1' });
    expect(result.errors).toBeUndefined();
    expect(result.data?.publishPromotionSms).toMatchObject({
      requestId: 'all-held-1',
      sentCount: 0,
      failedCount: 2,
      suppressedCount: 2,
      results: numbers.map((endpoint) => ({ __typename: 'SmsFailed', endpoint, code: 'OPTED_OUT' })),
    });
    expect(await stack.simulator.requests()).toEqual([]);
  });

  it('counts changes once per person: repeats and other spellings are unchanged', async () => {
    const number = chinaMobile();
    const spellings = [number, `+86${number}`, `86${number}`, '+447700900123'];
    expect((await add(spellings)).data?.addOptOuts).toEqual({ changed: 2, unchanged: 2 });
    expect((await add(spellings)).data?.addOptOuts).toEqual({ changed: 0, unchanged: 4 });
    expect((await remove([`+86${number}`, number])).data?.removeOptOuts).toEqual({ changed: 1, unchanged: 1 });
    expect((await remove(['+447700900123'])).data?.removeOptOuts).toEqual({ changed: 1, unchanged: 0 });
  });

  it('optOuts answers one entry per given number, in order, with source, reason and since', async () => {
    const number = chinaMobile();
    const before = Date.now();
    await add([number], 'Replied TD');
    const result = await status([`86${number}`, '+447700900999', number]);
    expect(result.errors).toBeUndefined();
    const [first, second, third] = result.data!.optOuts;
    expect(first).toMatchObject({ endpoint: `86${number}`, optedOut: true, source: 'MANUAL', reason: 'Replied TD' });
    expect(new Date(first!.since!).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(second).toEqual({ endpoint: '+447700900999', optedOut: false, source: null, reason: null, since: null });
    expect(third).toMatchObject({ endpoint: number, optedOut: true });
  });

  it('opting back in lets the number receive again', async () => {
    const number = chinaMobile();
    await add([number]);
    await remove([`+86${number}`]);
    const result = await publish(stack.app, promotionInput({ endpoints: [number] }));
    expect(result.data?.publishPromotionSms).toMatchObject({ sentCount: 1, suppressedCount: 0 });
  });

  it('changes nothing when any number is invalid; names it by index; never echoes it', async () => {
    const good = chinaMobile();
    const result = await add([good, '+0861234567', 'x'.repeat(20)]);
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      validationErrorCount: 2,
      validationErrors: [
        { field: 'endpoints[1]', message: expect.stringContaining('must be a phone number') },
        { field: 'endpoints[2]', message: expect.stringContaining('must be a phone number') },
      ],
    });
    expect(result.text).not.toContain('0861234567');
    expect((await status([good])).data?.optOuts[0]?.optedOut).toBe(false);
    const query = await status(['not-a-number']);
    expect(query.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      validationErrors: [{ field: 'endpoints[0]' }],
    });
    expect(query.text).not.toContain('not-a-number');
  });

  it('takes 10,000 numbers in one call, refuses 10,001 and an empty list, and a reason over 200 characters', async () => {
    const many = Array.from({ length: 10_000 }, (_, index) => `+1415${String(index).padStart(7, '0')}`);
    expect((await add(many)).data?.addOptOuts).toEqual({ changed: 10_000, unchanged: 0 });
    expect((await add([...many, '+14159999999'])).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      validationErrors: [{ field: 'endpoints', message: 'must contain at most 10000 phone numbers' }],
    });
    expect((await add([])).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect((await add([chinaMobile()], 'r'.repeat(201))).errors?.[0]?.extensions).toMatchObject({
      validationErrors: [{ field: 'reason' }],
    });
    expect((await status(many)).data?.optOuts.every((entry) => entry.optedOut)).toBe(true);
  });

  it('a replay returns the stored answer unchanged, even after the number opted out', async () => {
    const number = chinaMobile();
    const input = promotionInput({ endpoints: [number], idempotencyKey: `replay-${number}` });
    const first = await publish(stack.app, input);
    await add([number]);
    const again = await publish(stack.app, input);
    expect(again.data?.publishPromotionSms).toEqual({ ...first.data!.publishPromotionSms, replayed: true });
    expect(again.data?.publishPromotionSms.suppressedCount).toBe(0);
  });

  it('logs every change with the count and the reason, numbers masked; counts metrics', async () => {
    const number = chinaMobile();
    await add([number], `asked by phone from +86${number}`, { 'x-request-id': 'optout-log-1' });
    await publish(stack.app, promotionInput({ endpoints: [number] }));
    const line = stack.app.logs
      .entries()
      .find((entry) => entry.requestId === 'optout-log-1' && entry.msg === 'opt-outs added');
    expect(line).toMatchObject({ action: 'add', source: 'MANUAL', numbers: 1, changed: 1 });
    expect(String(line?.reason)).toMatch(/^asked by phone from \+86\*+\d{4}$/);
    expect(stack.app.logs.text).not.toContain(number);
    const metrics = await (await fetch(stack.app.metricsUrl)).text();
    expect(metrics).toMatch(/smn_gateway_suppressed_total\{reason="opted_out"\} [1-9]/);
    expect(metrics).toMatch(/smn_gateway_opt_out_changes_total\{action="add",source="MANUAL"\} [1-9]/);
  });

  it('held-back numbers never count against the recipient quota', async () => {
    await stack.withApp({ QUOTA_RECIPIENTS_PER_MINUTE: '1' }, async (tight) => {
      const [held, sent] = [chinaMobile(), chinaMobile()];
      await execute(tight.graphqlUrl, AddOptOutsDocument, { input: { endpoints: [held] } });
      const result = await publish(tight, promotionInput({ endpoints: [held, sent] }));
      expect(result.errors).toBeUndefined();
      expect(result.data?.publishPromotionSms).toMatchObject({ sentCount: 1, suppressedCount: 1 });
    });
  });
});
