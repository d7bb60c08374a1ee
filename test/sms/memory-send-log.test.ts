import { describe, expect, it } from 'vitest';
import { createMemorySendLog } from '../../src/sms/memory-send-log.js';
import type { SentMessage } from '../../src/sms/send-log.js';

const message = (messageId: string): SentMessage => ({
  messageId,
  endpoint: '+8613800000001',
  requestId: 'rid',
  smsTemplateId: 'tpl',
  submittedAt: new Date(0),
});

describe('the in-memory send log', () => {
  it('finds what it recorded and nothing else', async () => {
    const log = createMemorySendLog({ maxEntries: 10, ttlMs: 60_000 });
    await log.record([message('a'), message('b')]);
    expect(await log.find('a')).toEqual(message('a'));
    expect(await log.find('zzz')).toBeUndefined();
  });

  it('is bounded in size: the oldest message goes first', async () => {
    const log = createMemorySendLog({ maxEntries: 2, ttlMs: 60_000 });
    await log.record([message('a'), message('b')]);
    await log.find('a');
    await log.record([message('c')]);
    expect(log.size).toBe(2);
    expect(await log.find('a')).toBeUndefined();
    expect(await log.find('b')).toBeDefined();
    expect(await log.find('c')).toBeDefined();
    await log.record([message('d'), message('e'), message('f')]);
    expect(log.size).toBe(2);
    expect(await log.find('e')).toBeDefined();
  });

  it('forgets a message once its TTL has passed', async () => {
    let now = 5_000;
    const log = createMemorySendLog({ maxEntries: 10, ttlMs: 1_000, clock: { now: () => now } });
    await log.record([message('a')]);
    now += 999;
    expect(await log.find('a')).toBeDefined();
    now += 2;
    expect(await log.find('a')).toBeUndefined();
    expect(log.size).toBe(0);
  });
});
