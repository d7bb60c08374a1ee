import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptOutsDocument, RemoveOptOutsDocument } from '../../client/generated.js';
import type { Envelope } from '../../src/smn/events/envelope.js';
import type { TestApp } from '../helpers/app.js';
import { startEventsApp } from '../helpers/events.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { freePort } from '../helpers/ports.js';
import { envelopeSigner, replyMessage, subjectMovedIntoMessageId } from '../helpers/signed-envelopes.js';
import { useStack } from '../helpers/stack.js';

const stack = useStack({ app: false });
let app: TestApp;
beforeAll(async () => {
  app = await startEventsApp(stack);
});
afterAll(() => app?.close());

/** Posts an envelope to /smn/events as SMN would. */
async function postEvent(target: TestApp, envelope: unknown) {
  const response = await fetch(`${target.url}/smn/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(envelope),
  });
  return { status: response.status, body: (await response.json()) as { outcome?: string } };
}

const optedOut = async (target: TestApp, number: string) =>
  (await execute(target.graphqlUrl, OptOutsDocument, { endpoints: [number] })).data?.optOuts[0]?.optedOut;

describe('a captured SMN envelope replayed as new (issue 24, item 4)', () => {
  it('a signed "TD" reply, its opt-out removed, then the same reply with subject moved into message_id: 400, still opted in', async () => {
    const number = '+8613912344401';
    await publish(app, promotionInput({ endpoints: [number] }));
    // Capture the simulator's signed reply without delivering it: it posts to a port nobody listens on.
    await stack.simulator.subscribe(`http://127.0.0.1:${await freePort()}/smn/events`);
    expect(await stack.simulator.reply({ endpoint: number, text: 'TD' })).toBe('error');
    const { status: _status, ...captured } = (await stack.simulator.events()).at(-1)!;
    await stack.simulator.subscribe(`${app.url}/smn/events`);
    expect(captured.subject).toBe('SMS reply');

    expect(await postEvent(app, captured)).toEqual({ status: 200, body: { outcome: 'reply_opted_out' } });
    expect(await optedOut(app, number)).toBe(true);
    const removed = await execute(app.graphqlUrl, RemoveOptOutsDocument, { input: { endpoints: [number] } });
    expect(removed.data?.removeOptOuts).toEqual({ changed: 1, unchanged: 0 });

    const forged = subjectMovedIntoMessageId(captured);
    expect(forged).not.toHaveProperty('subject');
    expect(await postEvent(app, forged)).toEqual({ status: 400, body: { outcome: 'malformed' } });
    expect(await optedOut(app, number)).toBe(false);
    // The plain replay is still a duplicate.
    expect(await postEvent(app, captured)).toEqual({ status: 200, body: { outcome: 'duplicate' } });
    expect(await optedOut(app, number)).toBe(false);
    const metrics = await (await fetch(app.metricsUrl)).text();
    expect(metrics).toMatch(/smn_gateway_smn_events_total\{outcome="malformed"\} [1-9]/);
  });

  it('a control character in any signed field but message, correctly signed, is refused; newlines in message are fine', async () => {
    const signer = envelopeSigner();
    await stack.withApp({ SMN_EVENTS: 'callback', SMN_EVENTS_CERT: signer.publicKeyPem }, async (pinned) => {
      const number = '+8613912344402';
      const reply = () => signer.notification(replyMessage('13912344402', 'TD'));
      const dirty = (envelope: Envelope, field: keyof Envelope, char: string) =>
        signer.sign({
          ...envelope,
          [field]: `${String(envelope[field]).slice(0, 4)}${char}${String(envelope[field]).slice(4)}`,
        });
      for (const field of ['message_id', 'subject', 'timestamp', 'topic_urn', 'type'] as const) {
        for (const char of ['\n', '\r', '\t', '\u0000', '\u007f', '\u009b']) {
          const refused = await postEvent(pinned, dirty(reply(), field, char));
          expect({ field, char, ...refused }).toEqual({ field, char, status: 400, body: { outcome: 'malformed' } });
        }
      }
      const confirmation = signer.sign({
        ...reply(),
        type: 'SubscriptionConfirmation',
        message: 'You are invited to subscribe.',
        subject: undefined,
        subscribe_url: 'https://smn.cn-north-4.myhuaweicloud.com/smn/subscribe?token=abc',
      });
      expect(await postEvent(pinned, dirty(confirmation, 'subscribe_url', '\n'))).toEqual({
        status: 400,
        body: { outcome: 'malformed' },
      });
      expect(await optedOut(pinned, number)).toBe(false);

      const pretty = signer.notification(replyMessage('13912344402', 'TD', 2));
      expect(pretty.message.split('\n').length).toBeGreaterThan(3);
      expect(await postEvent(pinned, pretty)).toEqual({ status: 200, body: { outcome: 'reply_opted_out' } });
      expect(await optedOut(pinned, number)).toBe(true);
    });
  });
});
