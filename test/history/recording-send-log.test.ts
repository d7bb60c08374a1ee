import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../src/history/events.js';
import type { HistoryOutbox } from '../../src/history/outbox.js';
import { recordingSendLog } from '../../src/history/recording-send-log.js';
import type { SentMessage } from '../../src/send/send-log.js';
import { createMemoryHistoryOutbox } from '../../src/state/memory-history-outbox.js';
import { createMemorySendLog } from '../../src/state/memory-send-log.js';

/**
 * The send log with history: a send's `sent` events after its record (unless the log appends them in
 * its own script), a `report` event with the whole message after a report that changed it (none for one
 * that did not), and an outbox that fails never fails the send or the report.
 */

const at = new Date();
const messages: SentMessage[] = Array.from({ length: 3 }, (_, n) => ({
  messageId: `rq1-m${n}`,
  endpoint: `+8613900000${n}`,
  requestId: 'rq1',
  smsTemplateId: 'tpl',
  submittedAt: at,
  sentBy: { sub: 'alice', tenant: 'acme' },
}));
const delivered = { status: 'DELIVERED' as const, carrierCode: 'DELIVRD', reportedAt: at };

async function events(outbox: HistoryOutbox): Promise<HistoryEvent[]> {
  return (await outbox.take(100, 0)).map((entry) => entry.event);
}

describe('recordingSendLog', () => {
  it('appends a send, and a report that changed a message, to the outbox', async () => {
    const inner = createMemorySendLog({ maxEntries: 100, ttlMs: 60_000 });
    const outbox = createMemoryHistoryOutbox({ maxEntries: 100 });
    const log = recordingSendLog(inner, outbox, { sendsInScript: false, onAppendError: () => undefined });
    await log.record(messages);
    await log.updateDelivery('rq1-m1', delivered);
    await log.updateDelivery('rq1-m1', { status: 'FAILED' }); // unchanged: first final status wins
    await log.updateDelivery('nope', delivered);
    expect(await events(outbox)).toEqual([
      { kind: 'sent', messages },
      { kind: 'report', message: { ...messages[1]!, delivery: delivered } },
    ]);
    expect(await log.maskEndpoint(['rq1-m0'], 'erased:x')).toBe(1);
    expect((await log.find('rq1-m0'))?.endpoint).toBe('erased:x');
    inner.close();
  });

  it('leaves the sent events to a log that appends them itself', async () => {
    const inner = createMemorySendLog({ maxEntries: 100, ttlMs: 60_000 });
    const outbox = createMemoryHistoryOutbox({ maxEntries: 100 });
    const log = recordingSendLog(inner, outbox, { sendsInScript: true, onAppendError: () => undefined });
    await log.record(messages);
    expect(await events(outbox)).toEqual([]);
    inner.close();
  });

  it('never fails a send or a report for the outbox: the failure goes to onAppendError', async () => {
    const inner = createMemorySendLog({ maxEntries: 100, ttlMs: 60_000 });
    const broken: HistoryOutbox = {
      durable: true,
      append: () => Promise.reject(new Error('OOM command not allowed')),
      take: () => Promise.resolve([]),
      ack: () => Promise.resolve(),
      stats: () => Promise.resolve({ entries: 0, oldestAt: undefined, dropped: 0 }),
    };
    const errors: unknown[] = [];
    const log = recordingSendLog(inner, broken, { sendsInScript: false, onAppendError: (error) => errors.push(error) });
    await log.record(messages);
    expect(await log.updateDelivery('rq1-m2', delivered)).toMatchObject({ outcome: 'updated' });
    expect(await log.find('rq1-m0')).toMatchObject({ messageId: 'rq1-m0' });
    expect(errors).toHaveLength(2);
    inner.close();
  });
});
