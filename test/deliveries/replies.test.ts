import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_CALLER } from '../../src/auth/caller.js';
import { createReplyHandler } from '../../src/deliveries/replies.js';
import { createMemoryRecentRecipients } from '../../src/state/memory-recent-recipients.js';
import { createMemoryOptOutStore } from '../../src/state/memory-opt-out-store.js';
import { createMemorySendLog } from '../../src/state/memory-send-log.js';
import { publishPromotionSms } from '../../src/send/publish.js';
import { createOptOuts } from '../../src/suppression/opt-outs.js';

const logger = pino({ level: 'silent' });

function setUp() {
  const store = createMemoryOptOutStore();
  const recent = createMemoryRecentRecipients();
  const optOuts = createOptOuts(store);
  const handle = createReplyHandler({ recent, optOuts, keywords: ['TD', '退订'], logger });
  const optedOut = async (tenant: string, number: string) => (await store.find(tenant, [number])).has(number);
  return { handle, recent, store, optedOut };
}

describe('opt-out replies', () => {
  it('opt out every tenant that sent to the number lately, whatever the keyword case or spacing', async () => {
    const { handle, recent, optedOut } = setUp();
    const at = Date.now();
    await recent.remember([
      { number: '+8613912345678', tenant: 'acme', at },
      { number: '+8613912345678', tenant: 'globex', at },
    ]);
    expect(await handle({ countryCode: '86', mobile: '13912345678', text: ' td ' })).toBe('opted_out');
    expect(await optedOut('acme', '+8613912345678')).toBe(true);
    expect(await optedOut('globex', '+8613912345678')).toBe(true);
    expect(await handle({ countryCode: '86', mobile: '13912345678', text: '退订' })).toBe('opted_out');
    expect(await handle({ countryCode: '86', mobile: '13912345678', text: 'thanks' })).toBe('not_a_keyword');
  });

  it('a masked number is matched only when exactly one recent recipient fits, sign id included', async () => {
    const { handle, recent, optedOut } = setUp();
    const at = Date.now();
    await recent.remember([
      { number: '+8613911117788', tenant: '', signId: 'a', at },
      { number: '+8613922227788', tenant: '', signId: 'b', at },
    ]);
    expect(await handle({ countryCode: '86', mobile: '139****7788', text: 'TD' })).toBe('unmatched');
    expect(await handle({ countryCode: '86', mobile: '139****7788', text: 'TD', signId: 'b' })).toBe('opted_out');
    expect(await optedOut('', '+8613922227788')).toBe(true);
    expect(await optedOut('', '+8613911117788')).toBe(false);
  });

  it('a plain number nobody sent to lately still opts out (callers without a tenant); a masked one never guesses', async () => {
    const { handle, optedOut } = setUp();
    expect(await handle({ countryCode: '86', mobile: '13800001111', text: 'TD' })).toBe('opted_out');
    expect(await optedOut(ANONYMOUS_CALLER.tenant ?? '', '+8613800001111')).toBe(true);
    expect(await handle({ countryCode: '86', mobile: '138****2222', text: 'TD' })).toBe('unmatched');
  });

  it('a reply matches a send to the same phone written another way (+86013845352978), and holds back the next', async () => {
    const { handle, recent, store, optedOut } = setUp();
    const sent: string[] = [];
    const send = (endpoint: string) =>
      publishPromotionSms(
        {
          smn: {
            publishPromotion: async (request) => {
              sent.push(...request.endpoints);
              return { request_id: 'r', result: request.endpoints.map((e) => ({ endpoint: e, message_id: `m${e}` })) };
            },
          },
          sendLog: createMemorySendLog({ maxEntries: 10, ttlMs: 60_000 }),
          logger,
          recentRecipients: recent,
          suppression: { optOuts: store },
        },
        { endpoints: [endpoint], smsTemplateId: 't' },
      );
    await send('+86013845352978');
    // SMN sent it to +8613845352978, so that is the phone that replies (masked, as SMN may show it).
    expect(await handle({ countryCode: '86', mobile: '138****2978', text: 'TD' })).toBe('opted_out');
    expect(await optedOut('', '+8613845352978')).toBe(true);
    expect((await send('+860013845352978')).results[0]).toMatchObject({ code: 'OPTED_OUT' });
    expect(sent).toEqual(['+8613845352978']);
  });

  it('an unmasked reply from a number the library cannot read opts nobody out', async () => {
    const { handle, optedOut } = setUp();
    expect(await handle({ countryCode: '86', mobile: '1234', text: 'TD' })).toBe('unmatched');
    expect(await optedOut('', '+861234')).toBe(false);
  });
});
