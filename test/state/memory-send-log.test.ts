import { describe, expect, it } from 'vitest';
import { createMemorySendLog } from '../../src/state/memory-send-log.js';
import type { SentMessage } from '../../src/sms/send-log.js';

const message = (messageId: string, submittedAt = new Date()): SentMessage => ({
  messageId,
  endpoint: '+8613800000001',
  requestId: 'rid',
  smsTemplateId: 'tpl',
  submittedAt,
});

describe('the in-memory send log', () => {
  it('finds what it recorded and nothing else', async () => {
    const log = createMemorySendLog({ maxEntries: 10, ttlMs: 60_000 });
    const a = message('a');
    await log.record([a, message('b')]);
    expect(await log.find('a')).toBe(a);
    expect(await log.find('zzz')).toBeUndefined();
  });

  it('is bounded in size: never more than maxEntries, the oldest leave first', async () => {
    const log = createMemorySendLog({ maxEntries: 4, ttlMs: 60_000 });
    for (const [index, id] of ['a', 'b', 'c', 'd', 'e', 'f', 'g'].entries()) {
      await log.record([message(id)]);
      expect(log.size).toBeLessThanOrEqual(4);
      if (index >= 3) expect(log.size).toBeGreaterThanOrEqual(2);
    }
    expect(await log.find('a')).toBeUndefined();
    expect(await log.find('g')).toBeDefined();
    expect(await log.find('f')).toBeDefined();
  });

  it('takes a 1000-message batch into a 50000-message log without losing recent batches', async () => {
    const log = createMemorySendLog({ maxEntries: 50_000, ttlMs: 60_000 });
    for (let batch = 0; batch < 120; batch += 1) {
      await log.record(Array.from({ length: 1000 }, (_, index) => message(`${batch}-${index}`)));
    }
    expect(log.size).toBeLessThanOrEqual(50_000);
    expect(log.size).toBeGreaterThanOrEqual(25_000);
    for (let batch = 95; batch < 120; batch += 1) expect(await log.find(`${batch}-999`)).toBeDefined();
    expect(await log.find('0-0')).toBeUndefined();
  });

  it('forgets a message once its TTL has passed since it was submitted', async () => {
    let now = 1_000_000;
    const log = createMemorySendLog({ maxEntries: 10, ttlMs: 1_000, clock: { now: () => now } });
    await log.record([message('a', new Date(now))]);
    now += 999;
    expect(await log.find('a')).toBeDefined();
    now += 2;
    expect(await log.find('a')).toBeUndefined();
    expect(log.size).toBe(0);
  });

  it('lets expired messages leave memory, not only hides them', async () => {
    let now = 1_000_000;
    const log = createMemorySendLog({ maxEntries: 1000, ttlMs: 1_000, clock: { now: () => now } });
    await log.record([message('a', new Date(now)), message('b', new Date(now))]);
    expect(log.retained).toBe(2);
    now += 1_000;
    await log.record([message('c', new Date(now))]);
    expect(await log.find('c')).toBeDefined();
    now += 1_000;
    await log.record([]);
    expect(log.retained).toBe(1); // a and b are gone; c (now expired too) goes at the next turn
    now += 1_000;
    await log.record([]);
    expect(log.retained).toBe(0);
    log.close();
  });
});
