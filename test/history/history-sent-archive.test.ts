import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import { sentEvents } from '../../src/history/events.js';
import type { HistoryStore } from '../../src/history/history-store.js';
import type { SendLog, SentMessage } from '../../src/send/send-log.js';
import { createSentMessages, type SentArchive } from '../../src/send/sent-messages.js';
import { createMemorySendLog } from '../../src/state/memory-send-log.js';
import { fixedClock } from '../../src/util/clock.js';
import { createMemoryHistoryStore } from '../helpers/memory-history-store.js';

const ACME: Caller = { sub: 'alice', tenant: 'acme', scopes: new Set() };
const GLOBEX: Caller = { sub: 'bob', tenant: 'globex', scopes: new Set() };
const NO_TENANT: Caller = { sub: 'dave', scopes: new Set() };

const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

const acme = { sub: 'alice', tenant: 'acme' };
function message(messageId: string, requestId: string, extra: Partial<SentMessage> = {}): SentMessage {
  return {
    messageId,
    endpoint: '+8613800000001',
    requestId,
    smsTemplateId: 'tpl',
    submittedAt: new Date('2026-12-01T10:00:00Z'),
    sentBy: acme,
    ...extra,
  };
}

/**
 * The send log holds req-new (m-1, m-2) and m-3 of req-mixed; the history holds everything, req-old
 * (m-8, m-9) only there, and m-4 of req-mixed that the send log has lost.
 */
async function world() {
  const sendLog = createMemorySendLog({ maxEntries: 100, ttlMs: 60_000, clock: fixedClock('2026-12-01T10:00:00Z') });
  closers.push(() => sendLog.close());
  await sendLog.record([message('m-1', 'req-new'), message('m-2', 'req-new')]);
  await sendLog.record([message('m-3', 'req-mixed')]);
  const store = createMemoryHistoryStore();
  const all = [
    message('m-1', 'req-new', { delivery: { status: 'DELIVERED' } }),
    message('m-2', 'req-new'),
    message('m-3', 'req-mixed'),
    message('m-4', 'req-mixed'),
    message('m-8', 'req-old', { delivery: { status: 'FAILED', carrierCode: 'UNDELIV' } }),
    message('m-9', 'req-old'),
  ];
  await store.write(sentEvents(all).map((event, index) => ({ id: `e-${index}`, event, appendedAt: 0 })));
  const asked: string[] = [];
  const archive: SentArchive = {
    findMessages: (tenant, ids) => (
      asked.push(`findMessages:${tenant}:${ids.join(',')}`),
      store.findMessages(tenant, ids)
    ),
    findRequest: (tenant, id) => (asked.push(`findRequest:${tenant}:${id}`), store.findRequest(tenant, id)),
  };
  const log: Pick<SendLog, 'find' | 'findMany' | 'findRequest'> = sendLog;
  return { sentMessages: createSentMessages(log, archive), asked };
}

describe('SentMessages with a SentArchive: the history answers what the send log forgot', () => {
  it('is satisfied by the HistoryStore port as it is, so the wiring passes the store itself', () => {
    expectTypeOf<HistoryStore>().toExtend<SentArchive>();
  });

  it('a message the send log still has comes from it, without asking the archive', async () => {
    const { sentMessages, asked } = await world();
    // The send log's own copy (SUBMITTED), not the archive's (DELIVERED): it is asked first.
    expect(await sentMessages.message(ACME, 'm-1')).toMatchObject({ messageId: 'm-1', delivery: undefined });
    expect((await sentMessages.request(ACME, 'req-new'))?.messages.map((sent) => sent.messageId)).toEqual([
      'm-1',
      'm-2',
    ]);
    expect(asked).toEqual([]);
  });

  it('a message and a request the send log forgot come from the archive, for their tenant only', async () => {
    const { sentMessages, asked } = await world();
    expect(await sentMessages.message(ACME, 'm-8')).toMatchObject({
      messageId: 'm-8',
      delivery: { status: 'FAILED', carrierCode: 'UNDELIV' },
    });
    const old = await sentMessages.request(ACME, 'req-old');
    expect(old?.request).toMatchObject({ requestId: 'req-old', messageIds: ['m-8', 'm-9'] });
    expect(old?.messages.map((sent) => sent.messageId)).toEqual(['m-8', 'm-9']);
    for (const stranger of [GLOBEX, NO_TENANT]) {
      expect(await sentMessages.message(stranger, 'm-8')).toBeUndefined();
      expect(await sentMessages.request(stranger, 'req-old')).toBeUndefined();
    }
    expect(asked).toContain('findMessages:globex:m-8');
    expect(asked).toContain('findRequest::req-old');
  });

  it('a request the send log has with a message it lost: that message from the archive, in send order', async () => {
    const sendLog = createMemorySendLog({ maxEntries: 100, ttlMs: 60_000 });
    closers.push(() => sendLog.close());
    await sendLog.record([message('m-3', 'req-mixed'), message('m-4', 'req-mixed')]);
    // As if m-4 alone had been evicted.
    const lossy: Pick<SendLog, 'find' | 'findMany' | 'findRequest'> = {
      find: (id) => sendLog.find(id),
      findMany: async (ids) =>
        (await sendLog.findMany(ids)).map((sent) => (sent?.messageId === 'm-4' ? undefined : sent)),
      findRequest: (id) => sendLog.findRequest(id),
    };
    const store = createMemoryHistoryStore();
    await store.write(
      sentEvents([message('m-3', 'req-mixed'), message('m-4', 'req-mixed', { smsTemplateId: 'from-archive' })]).map(
        (event, index) => ({ id: `x-${index}`, event, appendedAt: 0 }),
      ),
    );
    const mixed = await createSentMessages(lossy, store).request(ACME, 'req-mixed');
    expect(mixed?.messages.map((sent) => [sent.messageId, sent.smsTemplateId])).toEqual([
      ['m-3', 'tpl'],
      ['m-4', 'from-archive'],
    ]);
  });

  it("another tenant's message in the send log stays unknown; ownsRequest reads the send log only", async () => {
    const { sentMessages, asked } = await world();
    expect(await sentMessages.message(GLOBEX, 'm-1')).toBeUndefined();
    expect(await sentMessages.ownsRequest(ACME, 'req-new')).toBe(true);
    expect(await sentMessages.ownsRequest(ACME, 'req-old')).toBe(false);
    expect(asked.filter((call) => call.startsWith('findRequest'))).toEqual([]);
    // Over-long ids are unknown without any lookup.
    expect(await sentMessages.request(ACME, 'r'.repeat(300))).toBeUndefined();
    expect(await sentMessages.message(ACME, 'm'.repeat(300))).toBeUndefined();
    expect(asked.some((call) => call.includes('rrrr') || call.includes('mmmm'))).toBe(false);
  });
});
