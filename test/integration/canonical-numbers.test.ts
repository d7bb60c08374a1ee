// Issue 24 item 2: an opted-out number got through when written +86013845352978 or +860013845352978.
// Numbers are now compared by the E.164 form libphonenumber-js reads them as, everywhere.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AddOptOutsDocument,
  AddPromotionCampaignRecipientsDocument,
  OptOutsDocument,
  RemoveOptOutsDocument,
} from '../../client/generated.js';
import type { TestApp } from '../helpers/app.js';
import { addRecipients, campaignReaches, createCampaign, startCampaign } from '../helpers/campaigns.js';
import { startEventsApp } from '../helpers/events.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { useStack } from '../helpers/stack.js';

const stack = useStack({ app: false });
let app: TestApp;
beforeAll(async () => {
  app = await startEventsApp(stack);
});
afterAll(() => app?.close());
beforeEach(() => stack.simulator.reset());

/** A China mobile number of its own per test (11 digits, "138..."): the app lives for the whole file. */
let next = 45_352_000;
const mobile = () => `138${String((next += 7)).padStart(8, '0')}`;
/** The spellings of one phone the issue names, and the ones the API always took. */
const spellings = (national: string) => ({
  e164: `+86${national}`,
  trunk: `+860${national}`,
  doubleTrunk: `+8600${national}`,
  domestic: national,
  with86: `86${national}`,
});

const addOptOuts = (endpoints: string[]) =>
  execute(app.graphqlUrl, AddOptOutsDocument, { input: { endpoints, reason: 'TD' } });
const optOutStatus = (endpoints: string[]) => execute(app.graphqlUrl, OptOutsDocument, { endpoints });
const sentToSmn = async () =>
  ((await stack.simulator.requests()) as Array<{ endpoints: string[] }>).flatMap((body) => body.endpoints);
const outcome = (result: Awaited<ReturnType<typeof publish>>) =>
  result.data?.publishPromotionSms.results.map((entry) => [entry.endpoint, 'code' in entry ? entry.code : 'sent']);

describe('one phone, however it is written (real app, real simulator)', () => {
  it('opted out as +86…: sends to +860… and +8600… are held back as OPTED_OUT; SMN never sees them', async () => {
    const phone = spellings(mobile());
    expect((await addOptOuts([phone.e164])).data?.addOptOuts).toEqual({ changed: 1, unchanged: 0 });
    expect(outcome(await publish(app, promotionInput({ endpoints: [phone.trunk] })))).toEqual([
      [phone.trunk, 'OPTED_OUT'],
    ]);
    expect(outcome(await publish(app, promotionInput({ endpoints: [phone.doubleTrunk] })))).toEqual([
      [phone.doubleTrunk, 'OPTED_OUT'],
    ]);
    const both = await publish(app, promotionInput({ endpoints: [phone.trunk, phone.doubleTrunk] }));
    expect(both.data?.publishPromotionSms).toMatchObject({ sentCount: 0, suppressedCount: 1, duplicatesRemoved: 1 });
    expect(await sentToSmn()).toEqual([]);
    const status = await optOutStatus([phone.trunk, phone.doubleTrunk, phone.domestic]);
    expect(status.data?.optOuts.map((entry) => [entry.endpoint, entry.optedOut])).toEqual([
      [phone.trunk, true],
      [phone.doubleTrunk, true],
      [phone.domestic, true],
    ]);
  });

  it('the list itself: an opt-out written +8600… is the person of +86…, and 13… opts them back in', async () => {
    const phone = spellings(mobile());
    expect((await addOptOuts([phone.doubleTrunk, phone.trunk, phone.with86])).data?.addOptOuts).toEqual({
      changed: 1,
      unchanged: 2,
    });
    expect((await optOutStatus([phone.e164])).data?.optOuts[0]?.optedOut).toBe(true);
    const removed = await execute(app.graphqlUrl, RemoveOptOutsDocument, { input: { endpoints: [phone.domestic] } });
    expect(removed.data?.removeOptOuts).toEqual({ changed: 1, unchanged: 0 });
    const sent = await publish(app, promotionInput({ endpoints: [phone.trunk] }));
    expect(outcome(sent)).toEqual([[phone.trunk, 'sent']]);
    expect(await sentToSmn()).toEqual([phone.e164]);
  });

  it('PER_NUMBER_DAILY_LIMIT counts the phone: +860… and +8600… after +86… are DAILY_LIMIT_REACHED', async () => {
    await stack.withApp({ PER_NUMBER_DAILY_LIMIT: '1' }, async (limited) => {
      const phone = spellings(mobile());
      expect(outcome(await publish(limited, promotionInput({ endpoints: [phone.e164] })))).toEqual([
        [phone.e164, 'sent'],
      ]);
      for (const spelling of [phone.trunk, phone.doubleTrunk, phone.domestic]) {
        expect(outcome(await publish(limited, promotionInput({ endpoints: [spelling] })))).toEqual([
          [spelling, 'DAILY_LIMIT_REACHED'],
        ]);
      }
      expect(await sentToSmn()).toEqual([phone.e164]);
    });
  });

  it('a reply to a send written +860… is matched (masked) and holds the phone back in every spelling', async () => {
    const phone = spellings(mobile());
    expect(outcome(await publish(app, promotionInput({ endpoints: [phone.trunk] })))).toEqual([[phone.trunk, 'sent']]);
    expect(await sentToSmn()).toEqual([phone.e164]);
    // The phone SMN sent to replies; SMN shows its number masked.
    expect(await stack.simulator.reply({ endpoint: phone.e164, text: 'TD', masked: true })).toBe(200);
    const status = await optOutStatus([phone.doubleTrunk]);
    expect(status.data?.optOuts[0]).toMatchObject({ optedOut: true, source: 'SMS_REPLY' });
    expect(outcome(await publish(app, promotionInput({ endpoints: [phone.domestic] })))).toEqual([
      [phone.domestic, 'OPTED_OUT'],
    ]);
    expect(await sentToSmn()).toEqual([phone.e164]);
  });

  it('a campaign de-duplicates the phone across spellings, in one call and across calls, and sends it once', async () => {
    const phone = spellings(mobile());
    const other = mobile();
    const campaign = await createCampaign(app.graphqlUrl);
    const first = await addRecipients(app.graphqlUrl, campaign.id, [
      phone.trunk,
      phone.e164,
      phone.doubleTrunk,
      other,
      phone.domestic,
      phone.with86,
    ]);
    expect(first).toMatchObject({ added: 2, duplicatesRemoved: 4, invalid: 0 });
    const second = await addRecipients(app.graphqlUrl, campaign.id, [phone.doubleTrunk, `+860${other}`]);
    expect(second).toMatchObject({ added: 0, duplicatesRemoved: 2 });
    await startCampaign(app.graphqlUrl, campaign.id);
    expect(await campaignReaches(app.graphqlUrl, campaign.id, 'COMPLETED')).toMatchObject({ sent: 2, recipients: 2 });
    expect((await sentToSmn()).sort()).toEqual([phone.e164, `+86${other}`].sort());
  });

  it('a number the library cannot read as possible is refused at input, by index, never echoed; nothing sent', async () => {
    const good = mobile();
    // Each has SMN's form ("+" and 5 to 15 digits) and no phone behind it.
    const impossible = ['+12345', '+8601234', '+999123456', '+882345678'];
    const given = [good, ...impossible];
    const expected = {
      code: 'BAD_USER_INPUT',
      validationErrorCount: 4,
      validationErrors: impossible.map((_, index) => ({
        field: `endpoints[${index + 1}]`,
        message: expect.stringContaining('must be a phone number') as unknown,
      })),
    };
    const send = await publish(app, promotionInput({ endpoints: given }));
    expect(send.errors?.[0]?.extensions).toMatchObject(expected);
    const optOut = await addOptOuts(given);
    expect(optOut.errors?.[0]?.extensions).toMatchObject(expected);
    const query = await optOutStatus(given);
    expect(query.errors?.[0]?.extensions).toMatchObject(expected);
    const campaign = await createCampaign(app.graphqlUrl);
    const add = (skipInvalid: boolean) =>
      execute(app.graphqlUrl, AddPromotionCampaignRecipientsDocument, {
        input: { campaignId: campaign.id, endpoints: given, skipInvalid },
      });
    const refused = await add(false);
    expect(refused.errors?.[0]?.extensions).toMatchObject(expected);
    const skipped = await add(true);
    expect(skipped.data?.addPromotionCampaignRecipients).toMatchObject({
      added: 1,
      invalid: 4,
      invalidSamples: impossible.map((_, index) => ({ index: index + 1 })),
    });
    for (const answer of [send, optOut, query, refused, skipped]) {
      for (const number of impossible) expect(answer.text).not.toContain(number.slice(1));
    }
    expect((await optOutStatus([good])).data?.optOuts[0]?.optedOut).toBe(false);
    expect(await sentToSmn()).toEqual([]);
    // The logs hold ids and timings of every test in this file: the numbers are looked for as written.
    for (const number of impossible) expect(app.logs.text).not.toContain(number);
  });
});
