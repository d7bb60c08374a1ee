import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { REPLY_WINDOW_MS } from '../../src/send/recent-recipients.js';
import { createReplyHandler } from '../../src/deliveries/replies.js';
import { createMemoryOptOutStore } from '../../src/state/memory-opt-out-store.js';
import { createMemoryRecentRecipients } from '../../src/state/memory-recent-recipients.js';
import { createOptOuts } from '../../src/suppression/opt-outs.js';
import type { Clock } from '../../src/util/clock.js';

/**
 * How a reply finds the number it came from, on a clock the test moves: the 72-hour window, the
 * country code, and numbers masked too far to match. (replies.test.ts has keywords and spellings.)
 */

const logger = pino({ level: 'silent' });
const T0 = new Date('2026-03-02T10:00:00.000Z').getTime();

function setUp() {
  let now = T0;
  const clock: Clock = { now: () => new Date(now) };
  const store = createMemoryOptOutStore();
  // The store's own clock stands still, so it prunes nothing by age (as a shared store whose entries
  // have not expired yet): the handler itself must look no further back than REPLY_WINDOW_MS.
  const recent = createMemoryRecentRecipients({ now: () => new Date(T0) });
  const handle = createReplyHandler({
    recent,
    optOuts: createOptOuts(store, { clock }),
    keywords: ['TD'],
    logger,
    clock,
  });
  const optedOut = async (tenant: string, number: string) => (await store.find(tenant, [number])).has(number);
  const record = async (tenant: string, number: string) => (await store.find(tenant, [number])).get(number);
  return { handle, recent, optedOut, record, at: (ms: number) => (now = ms) };
}

describe('opt-out replies: which send a reply answers', () => {
  it('a masked reply matches a send of the last 72 hours, and no older one', async () => {
    const s = setUp();
    await s.recent.remember([{ number: '+8613911117788', tenant: 'acme', at: T0 }]);
    s.at(T0 + REPLY_WINDOW_MS + 1);
    expect(await s.handle({ countryCode: '86', mobile: '139****7788', text: 'TD' })).toBe('unmatched');
    expect(await s.optedOut('acme', '+8613911117788')).toBe(false);

    await s.recent.remember([{ number: '+8613911117788', tenant: 'acme', at: T0 + REPLY_WINDOW_MS }]);
    expect(await s.handle({ countryCode: '86', mobile: '139****7788', text: 'TD' })).toBe('opted_out');
    expect(await s.optedOut('acme', '+8613911117788')).toBe(true);
  });

  it('a masked reply from another country code matches nothing sent elsewhere', async () => {
    const s = setUp();
    await s.recent.remember([{ number: '+8613911117788', tenant: 'acme', at: T0 }]);
    expect(await s.handle({ countryCode: '852', mobile: '139****7788', text: 'TD' })).toBe('unmatched');
    expect(await s.optedOut('acme', '+8613911117788')).toBe(false);
  });

  it('the visible digits must agree: a send to 135…7788 does not answer a reply shown as 139****7788', async () => {
    const s = setUp();
    await s.recent.remember([{ number: '+8613511117788', tenant: 'acme', at: T0 }]);
    expect(await s.handle({ countryCode: '86', mobile: '139****7788', text: 'TD' })).toBe('unmatched');
    expect(await s.optedOut('acme', '+8613511117788')).toBe(false);
  });

  it('a number masked in its last four digits is never matched, however few were sent to', async () => {
    const s = setUp();
    await s.recent.remember([{ number: '+8613911117788', tenant: 'acme', at: T0 }]);
    expect(await s.handle({ countryCode: '86', mobile: '1391111****', text: 'TD' })).toBe('unmatched');
    expect(await s.optedOut('acme', '+8613911117788')).toBe(false);
  });

  it('one phone sent to by two tenants: both lists get it, with the reply as the reason', async () => {
    const s = setUp();
    await s.recent.remember([
      { number: '+8613911117788', tenant: 'acme', at: T0 },
      { number: '+8613911117788', tenant: 'globex', at: T0 },
      { number: '+8613922227788', tenant: 'initech', at: T0 - REPLY_WINDOW_MS - 1 },
    ]);
    // The older send to another number with the same last four is out of the window: one candidate.
    expect(await s.handle({ countryCode: '86', mobile: '139****7788', text: 'TD' })).toBe('opted_out');
    for (const tenant of ['acme', 'globex']) {
      expect(await s.record(tenant, '+8613911117788')).toEqual({
        source: 'SMS_REPLY',
        reason: 'replied "TD"',
        since: new Date(T0).toISOString(),
      });
    }
    expect(await s.optedOut('initech', '+8613922227788')).toBe(false);
  });
});
