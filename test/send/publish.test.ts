import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createMemoryDailyCounterStore } from '../../src/state/memory-daily-counter-store.js';
import { createMemoryOptOutStore } from '../../src/state/memory-opt-out-store.js';
import { createMemorySendLog } from '../../src/state/memory-send-log.js';
import { matchResults } from '../../src/send/match-results.js';
import { publishPromotionSms, uniquePhones } from '../../src/send/publish.js';
import type { SendLog } from '../../src/send/send-log.js';
import type { RecipientQuota } from '../../src/policy/recipient-quota.js';
import { SmnError } from '../../src/smn/errors.js';
import type { SmnPromotionPort } from '../../src/smn/client.js';
import type { PromotionSend } from '../../src/smn/wire.js';
import { fixedClock } from '../../src/util/clock.js';

const logger = pino({ level: 'silent' });

describe('the publish use case (no server, a recording SMN port)', () => {
  it('de-duplicates by phone, first spelling kept, each with its canonical number', () => {
    const given = ['13812345678', '+14155550100', '+8613812345678', '+86013812345678', '8613812345678', '+14155550100'];
    expect(uniquePhones(given)).toEqual({
      endpoints: ['13812345678', '+14155550100'],
      numbers: ['+8613812345678', '+14155550100'],
    });
  });

  it('orders results by what was sent, fills NO_RESULT, drops strangers and second entries', () => {
    const outcomes = matchResults(
      ['a', 'b', 'c'],
      [
        { endpoint: 'c', code: 'SMN.0167', message: 'no' },
        { endpoint: 'x', message_id: 'stranger' },
        { endpoint: 'a', message_id: 'm1' },
        { endpoint: 'a', message_id: 'm2' },
      ],
      logger,
    );
    expect(outcomes).toEqual([
      { status: 'sent', endpoint: 'a', messageId: 'm1' },
      { status: 'failed', endpoint: 'b', code: 'NO_RESULT', message: 'SMN returned no result for this number' },
      { status: 'failed', endpoint: 'c', code: 'SMN.0167', message: 'no' },
    ]);
  });

  it('sends once, de-duplicated, and counts', async () => {
    const calls: PromotionSend[] = [];
    const smn: SmnPromotionPort = {
      publishPromotion: async (request) => {
        calls.push(request);
        return {
          request_id: 'rid',
          result: request.endpoints.map((endpoint) => ({ endpoint, message_id: `m-${endpoint}` })),
        };
      },
    };
    const sendLog = createMemorySendLog({ maxEntries: 10, ttlMs: 60_000 });
    const report = await publishPromotionSms(
      { smn, sendLog, logger },
      { endpoints: ['+1', '+2', '+1'], smsTemplateId: 't' },
    );
    expect(calls).toEqual([{ endpoints: ['+1', '+2'], smsTemplateId: 't' }]);
    expect(report).toMatchObject({ requestId: 'rid', sentCount: 2, failedCount: 0, duplicatesRemoved: 1 });
  });

  it('records every accepted message in the send log, and only those', async () => {
    const smn: SmnPromotionPort = {
      publishPromotion: async () => ({
        request_id: 'rid-7',
        result: [
          { endpoint: '+8613800000001', message_id: 'msg-1' },
          { endpoint: '+8613800000000', code: 'SMN.0167', message: 'no such number' },
        ],
      }),
    };
    const submittedAt = new Date('2026-11-27T10:00:00.000Z');
    const sendLog = createMemorySendLog({ maxEntries: 10, ttlMs: 60_000, clock: fixedClock(submittedAt) });
    const report = await publishPromotionSms(
      { smn, sendLog, logger, clock: fixedClock(submittedAt) },
      { endpoints: ['+8613800000001', '+8613800000000'], smsTemplateId: 'tpl', signId: 'sig', extendCode: 'ext' },
    );
    const expected = {
      messageId: 'msg-1',
      endpoint: '+8613800000001',
      requestId: 'rid-7',
      smsTemplateId: 'tpl',
      signId: 'sig',
      extendCode: 'ext',
      submittedAt,
      sentBy: { sub: 'anonymous' },
    };
    expect(await sendLog.find('msg-1')).toEqual(expected);
    expect(sendLog.size).toBe(1);
    expect(report.results[0]).toEqual({ status: 'sent', ...expected, delivery: { status: 'SUBMITTED' } });
  });

  it('reports the SMN failure, not a quota store error, when giving quota back fails', async () => {
    const refused = new SmnError('SMN could not be reached; nothing was sent', {
      kind: 'unavailable',
      delivery: 'NOT_SENT',
      causeCode: 'ECONNREFUSED',
    });
    const smn: SmnPromotionPort = { publishPromotion: () => Promise.reject(refused) };
    const quota: RecipientQuota = {
      consume: async () => undefined,
      refund: () => Promise.reject(new Error('redis down')),
    };
    const sendLog = createMemorySendLog({ maxEntries: 10, ttlMs: 60_000 });
    await expect(
      publishPromotionSms({ smn, sendLog, logger, quota }, { endpoints: ['+8613800000001'], smsTemplateId: 't' }),
    ).rejects.toBe(refused);
  });

  it('still reports a batch SMN accepted when the send log fails (a retry would send twice)', async () => {
    const smn: SmnPromotionPort = {
      publishPromotion: async (request) => ({
        request_id: 'rid',
        result: request.endpoints.map((endpoint) => ({ endpoint, message_id: `m-${endpoint}` })),
      }),
    };
    const broken: SendLog = {
      record: () => Promise.reject(new Error('store down')),
      find: async () => undefined,
      findMany: async () => [],
      findRequest: async () => undefined,
      updateDelivery: async () => ({ outcome: 'unknown' }),
      maskEndpoint: async () => 0,
    };
    const report = await publishPromotionSms(
      { smn, sendLog: broken, logger },
      { endpoints: ['+8613800000001'], smsTemplateId: 't' },
    );
    expect(report.sentCount).toBe(1);
  });

  describe('one phone in any spelling (issue 24: "+860…" got past the opt-out list)', () => {
    const clock = fixedClock(new Date('2026-11-30T02:00:00.000Z'));
    const record = { source: 'MANUAL' as const, since: '2026-11-29T00:00:00.000Z' };

    /** The use case with in-memory opt-outs and daily counts, a fixed clock and an SMN port that records. */
    function setUp(dailyLimit = 0) {
      const calls: string[][] = [];
      const smn: SmnPromotionPort = {
        publishPromotion: async (request) => {
          calls.push([...request.endpoints]);
          return {
            request_id: 'rid',
            result: request.endpoints.map((endpoint) =>
              endpoint.endsWith('0057')
                ? { endpoint, code: 'SMN.0057', message: 'too often' }
                : { endpoint, message_id: `m-${endpoint}` },
            ),
          };
        },
      };
      const optOuts = createMemoryOptOutStore();
      const daily = { store: createMemoryDailyCounterStore(), limit: dailyLimit, zone: 'Asia/Shanghai' };
      const sendLog = createMemorySendLog({ maxEntries: 100, ttlMs: 60_000 });
      const send = (endpoints: string[]) =>
        publishPromotionSms(
          { smn, sendLog, logger, clock, suppression: { optOuts, daily } },
          { endpoints, smsTemplateId: 't' },
        );
      return { calls, optOuts, send };
    }

    it('an opt-out stored as +8613845352978 holds back +86013845352978 and +860013845352978', async () => {
      const { calls, optOuts, send } = setUp();
      await optOuts.add('', ['+8613845352978'], record);
      for (const spelling of ['+86013845352978', '+860013845352978', '13845352978', '8613845352978']) {
        const report = await send([spelling]);
        expect(report.results).toEqual([expect.objectContaining({ endpoint: spelling, code: 'OPTED_OUT' })]);
      }
      expect(calls).toEqual([]);
    });

    it('SMN is sent the canonical form, once per phone; outcomes keep the spelling the caller used', async () => {
      const { calls, send } = setUp();
      const report = await send(['+86013845352978', '+8613845352978', '+860013912340057', '13912340057']);
      expect(calls).toEqual([['+8613845352978', '+8613912340057']]);
      expect(report.duplicatesRemoved).toBe(2);
      expect(report.results).toEqual([
        expect.objectContaining({ status: 'sent', endpoint: '+86013845352978', messageId: 'm-+8613845352978' }),
        expect.objectContaining({ status: 'failed', endpoint: '+860013912340057', code: 'SMN.0057' }),
      ]);
    });

    it('the daily limit counts one phone, whatever the spelling; a send SMN failed is given back', async () => {
      const { calls, send } = setUp(1);
      expect((await send(['+8613845352978'])).results[0]).toMatchObject({ status: 'sent' });
      for (const spelling of ['+86013845352978', '+860013845352978', '13845352978']) {
        expect((await send([spelling])).results[0]).toMatchObject({ endpoint: spelling, code: 'DAILY_LIMIT_REACHED' });
      }
      expect((await send(['+860013912340057'])).results[0]).toMatchObject({ code: 'SMN.0057' });
      expect((await send(['13912340057'])).results[0]).toMatchObject({ code: 'SMN.0057' });
      expect(calls).toEqual([['+8613845352978'], ['+8613912340057'], ['+8613912340057']]);
    });
  });
});
