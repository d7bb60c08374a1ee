import { afterEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import type { SendLog, SentMessage } from '../../src/send/send-log.js';
import { createSentMessages } from '../../src/send/sent-messages.js';
import { createMemorySendLog } from '../../src/state/memory-send-log.js';
import { fixedClock } from '../../src/util/clock.js';

const ACME: Caller = { sub: 'alice', tenant: 'acme', scopes: new Set() };
const ACME_COLLEAGUE: Caller = { sub: 'carol', tenant: 'acme', scopes: new Set() };
const OTHER: Caller = { sub: 'bob', tenant: 'other', scopes: new Set() };
const NO_TENANT: Caller = { sub: 'dave', scopes: new Set() };

const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

function message(messageId: string, requestId: string, sentBy: SentMessage['sentBy']): SentMessage {
  return {
    messageId,
    endpoint: '+8613800000001',
    requestId,
    smsTemplateId: 'tpl',
    submittedAt: new Date('2026-03-02T10:00:00Z'),
    sentBy,
  };
}

/** A send log holding ACME's request req-1 (two messages) and a tenant-less caller's req-2. */
async function world() {
  const sendLog = createMemorySendLog({ maxEntries: 100, ttlMs: 60_000, clock: fixedClock('2026-03-02T10:00:00Z') });
  closers.push(() => sendLog.close());
  const acme = { sub: 'alice', tenant: 'acme' };
  await sendLog.record([message('m-1', 'req-1', acme), message('m-2', 'req-1', acme)]);
  await sendLog.record([message('m-3', 'req-2', { sub: 'dave' })]);
  const lookups: string[] = [];
  const counted: Pick<SendLog, 'find' | 'findMany' | 'findRequest'> = {
    find: (id) => (lookups.push(`find:${id}`), sendLog.find(id)),
    findMany: (ids) => (lookups.push(`findMany:${ids.join(',')}`), sendLog.findMany(ids)),
    findRequest: (id) => (lookups.push(`findRequest:${id}`), sendLog.findRequest(id)),
  };
  return { sentMessages: createSentMessages(counted), lookups };
}

describe('SentMessages: the read use case does the tenant check, not each resolver', () => {
  it("gives a tenant its own messages, to anyone of that tenant, and another tenant's as unknown", async () => {
    const { sentMessages } = await world();
    expect((await sentMessages.message(ACME, 'm-1'))?.messageId).toBe('m-1');
    expect((await sentMessages.message(ACME_COLLEAGUE, 'm-2'))?.messageId).toBe('m-2');
    expect(await sentMessages.message(OTHER, 'm-1')).toBeUndefined();
    expect(await sentMessages.message(NO_TENANT, 'm-1')).toBeUndefined();
    expect(await sentMessages.message(ACME, 'm-3')).toBeUndefined();
    expect((await sentMessages.message(NO_TENANT, 'm-3'))?.messageId).toBe('m-3');
    expect(await sentMessages.message(ACME, 'never-sent')).toBeUndefined();
  });

  it('gives a request with its messages in send order; another tenant gets what an unknown id gets', async () => {
    const { sentMessages } = await world();
    const own = await sentMessages.request(ACME, 'req-1');
    expect(own?.request.requestId).toBe('req-1');
    expect(own?.messages.map((sent) => sent.messageId)).toEqual(['m-1', 'm-2']);
    expect(await sentMessages.request(OTHER, 'req-1')).toBeUndefined();
    expect(await sentMessages.request(OTHER, 'req-unknown')).toBeUndefined();
    expect(await sentMessages.ownsRequest(ACME_COLLEAGUE, 'req-1')).toBe(true);
    expect(await sentMessages.ownsRequest(OTHER, 'req-1')).toBe(false);
    expect(await sentMessages.ownsRequest(ACME, 'req-2')).toBe(false);
  });

  it("reads another tenant's request's messages never: the tenant check comes before the messages", async () => {
    const { sentMessages, lookups } = await world();
    await sentMessages.request(OTHER, 'req-1');
    expect(lookups).toEqual(['findRequest:req-1']);
  });

  it('answers an id longer than any SMN gives as unknown, without a lookup', async () => {
    const { sentMessages, lookups } = await world();
    const long = 'r'.repeat(257);
    expect(await sentMessages.request(ACME, long)).toBeUndefined();
    expect(await sentMessages.ownsRequest(ACME, long)).toBe(false);
    expect(lookups).toEqual([]);
  });
});
