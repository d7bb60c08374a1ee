import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS_CALLER } from '../../../src/auth/caller.js';
import { createReplyHandler } from '../../../src/deliveries/replies.js';
import { createCertificateSource } from '../../../src/smn/events/certificates.js';
import { stringToSign, type Envelope } from '../../../src/smn/events/envelope.js';
import { handleSmnEvent, type SmnEventDeps } from '../../../src/smn/events/handle.js';
import { statusOf } from '../../../src/http/smn-events.js';
import { createMemoryDeliveryFeed, createMemorySeenEnvelopes } from '../../../src/state/memory-deliveries.js';
import { createMemoryOptOutStore } from '../../../src/state/memory-opt-out-store.js';
import { createMemoryRecentRecipients } from '../../../src/state/memory-recent-recipients.js';
import { createMemorySendLog } from '../../../src/state/memory-send-log.js';
import { createOptOuts } from '../../../src/suppression/opt-outs.js';
import { fixedClock } from '../../../src/util/clock.js';
import { envelopeSigner, replyMessage, subjectMovedIntoMessageId } from '../../helpers/signed-envelopes.js';

const logger = pino({ level: 'silent' });
const NUMBER = '+8613812340042';

/** handleSmnEvent with every store in memory, a pinned test key and a fixed clock. */
function setUp() {
  const signer = envelopeSigner();
  const at = Date.now();
  const clock = fixedClock(at);
  const store = createMemoryOptOutStore();
  const optOuts = createOptOuts(store, { clock });
  const sendLog = createMemorySendLog({ maxEntries: 100, ttlMs: 60_000, clock });
  const deps: SmnEventDeps = {
    certificates: createCertificateSource({ pinned: signer.publicKeyPem, hosts: [] }),
    followable: () => false,
    autoConfirm: false,
    seen: createMemorySeenEnvelopes(),
    replies: createReplyHandler({
      recent: createMemoryRecentRecipients(clock),
      optOuts,
      keywords: ['TD'],
      logger,
      clock,
    }),
    sendLog,
    feed: createMemoryDeliveryFeed(),
    logger,
    clock,
  };
  const optedOut = async () => (await store.find(ANONYMOUS_CALLER.tenant ?? '', [NUMBER])).has(NUMBER);
  const handle = (envelope: unknown) => handleSmnEvent(deps, JSON.parse(JSON.stringify(envelope)));
  return { signer, deps, optOuts, optedOut, handle, close: () => sendLog.close() };
}

describe('a captured SMN envelope cannot be replayed as new', () => {
  it('subject dropped and appended to message_id: same signature, refused (400), the number stays opted in', async () => {
    const { signer, optOuts, optedOut, handle, close } = setUp();
    try {
      const captured = signer.notification(replyMessage('13812340042', 'TD'));
      expect(await handle(captured)).toBe('reply_opted_out');
      await optOuts.remove(ANONYMOUS_CALLER, [NUMBER], logger);
      expect(await optedOut()).toBe(false);

      const forged = subjectMovedIntoMessageId({ ...captured }) as unknown as Envelope;
      expect(forged.subject).toBeUndefined();
      // The forgery is as well signed as the original: only the envelope id changed.
      expect(stringToSign(forged)).toBe(stringToSign(captured));
      expect(forged.signature).toBe(captured.signature);
      const outcome = await handle(forged);
      expect(outcome).toBe('malformed');
      expect(statusOf(outcome)).toBe(400);
      expect(await optedOut()).toBe(false);
    } finally {
      close();
    }
  });

  it.each([
    ['message_id', 'LF', '\n'],
    ['message_id', 'CR', '\r'],
    ['message_id', 'NUL', '\u0000'],
    ['message_id', 'DEL', '\u007f'],
    ['subject', 'LF', '\n'],
    ['subject', 'TAB', '\t'],
    ['timestamp', 'LF', '\n'],
    ['topic_urn', 'ESC', '\u001b'],
    ['topic_urn', 'NEL (C1)', '\u0085'],
    ['type', 'LF', '\n'],
  ])(
    'a control character in the signed %s (%s), correctly signed, is refused and changes nothing',
    async (field, _name, char) => {
      const { signer, optedOut, handle, close } = setUp();
      try {
        const clean = signer.notification(replyMessage('13812340042', 'TD'));
        const value = (clean as unknown as Record<string, string>)[field]!;
        const dirty = signer.sign({ ...clean, [field]: `${value.slice(0, 3)}${char}${value.slice(3)}` });
        const outcome = await handle(dirty);
        expect(outcome).toBe('malformed');
        expect(statusOf(outcome)).toBe(400);
        expect(await optedOut()).toBe(false);
        // The same envelope without it is applied: the refusal was the control character.
        expect(await handle(clean)).toBe('reply_opted_out');
      } finally {
        close();
      }
    },
  );

  it('a control character in a confirmation subscribe_url, correctly signed, is refused', async () => {
    const { signer, handle, close } = setUp();
    try {
      const confirmation = signer.sign({
        ...signer.notification('You are invited to subscribe.'),
        type: 'SubscriptionConfirmation',
        subject: undefined,
        subscribe_url: 'https://smn.cn-north-4.myhuaweicloud.com/smn/subscribe?token=a\nb',
      });
      expect(await handle(confirmation)).toBe('malformed');
      expect(await handle(signer.sign({ ...confirmation, subscribe_url: 'https://example.com/x' }))).toBe('confirmed');
    } finally {
      close();
    }
  });

  it('the same envelope again is a duplicate, whatever its unsigned fields say', async () => {
    const { signer, optOuts, optedOut, handle, close } = setUp();
    try {
      const captured = signer.notification(replyMessage('13812340042', 'TD'));
      expect(await handle(captured)).toBe('reply_opted_out');
      await optOuts.remove(ANONYMOUS_CALLER, [NUMBER], logger);
      expect(await handle(captured)).toBe('duplicate');
      expect(await handle({ ...captured, unsubscribe_url: 'https://elsewhere/', signing_cert_url: 'https://x/' })).toBe(
        'duplicate',
      );
      expect(await optedOut()).toBe(false);
      // An empty subject is not signed (SMN signs it only when non-empty): the same signed message again.
      const bare = signer.sign({ ...signer.notification(replyMessage('13812340042', 'TD')), subject: undefined });
      expect(await handle(bare)).toBe('reply_opted_out');
      expect(await handle({ ...bare, subject: '' })).toBe('duplicate');
    } finally {
      close();
    }
  });

  it('the key is what SMN signed: two signed messages sharing a message_id are each applied', async () => {
    const { signer, optedOut, handle, close } = setUp();
    try {
      const first = signer.notification(replyMessage('13800000000', 'thanks'));
      expect(await handle(first)).toBe('reply_not_a_keyword');
      const second = signer.notification(replyMessage('13812340042', 'TD'), { message_id: first.message_id });
      expect(await handle(second)).toBe('reply_opted_out');
      expect(await optedOut()).toBe(true);
    } finally {
      close();
    }
  });

  it('a legitimate envelope with newlines (and tabs) inside its message is accepted and applied', async () => {
    const { signer, optedOut, handle, close } = setUp();
    try {
      const pretty = signer.notification(replyMessage('13812340042', 'TD', 2).replace('  "reply"', '\t"reply"'));
      expect(pretty.message).toContain('\n');
      expect(await handle(pretty)).toBe('reply_opted_out');
      expect(await optedOut()).toBe(true);
    } finally {
      close();
    }
  });
});
