import type { HistoryEvent } from '../../src/history/events.js';
import type { SentMessage } from '../../src/send/send-log.js';

/** A send's held-back count for tenant acme and template tpl: the smallest history event. */
export const heldBackEvent = (count: number, at: Date): HistoryEvent => ({
  kind: 'suppressed',
  tenant: 'acme',
  at,
  smsTemplateId: 'tpl',
  count,
});

/** `count` messages of one SMN request (`<requestId>-m<n>`, +86139… numbers), sent by alice of acme. */
export const sentRequest = (requestId: string, count: number, shared: Partial<SentMessage> = {}): SentMessage[] =>
  Array.from({ length: count }, (_, index) => ({
    messageId: `${requestId}-m${index}`,
    endpoint: `+86139${String(index).padStart(8, '0')}`,
    requestId,
    smsTemplateId: 'tpl',
    submittedAt: new Date(0),
    sentBy: { sub: 'alice', tenant: 'acme' },
    ...shared,
  }));
