import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifyWebhook } from '../../client/webhooks.js';

const secret = `whsec_${randomBytes(32).toString('base64')}`;
const otherSecret = `whsec_${randomBytes(32).toString('base64')}`;
const body = JSON.stringify({
  type: 'sms.delivery',
  data: { messageId: 'm-1', status: 'DELIVERED', endpoint: '+86138****5678' },
});
const NOW = Date.parse('2026-12-05T15:00:00Z');
const now = () => NOW;

/** Headers as the service (or any Standard Webhooks sender) sets them, signed by the reference library. */
function signed(
  payload: string,
  options: { key?: string; id?: string; at?: number; extraSignatures?: string[] } = {},
): Record<string, string> {
  const id = options.id ?? 'msg_2Lh9KxCeZ';
  const at = new Date(options.at ?? NOW);
  const signature = new Webhook(options.key ?? secret).sign(id, at, payload);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': [...(options.extraSignatures ?? []), signature].join(' '),
  };
}

describe('verifyWebhook (Standard Webhooks, Web Crypto) against the standardwebhooks library', () => {
  it("accepts what the library signs, and the library accepts what it accepts (the body's bytes too)", async () => {
    const headers = signed(body);
    expect(await verifyWebhook(secret, headers, body, { now })).toEqual({
      ok: true,
      webhookId: 'msg_2Lh9KxCeZ',
      timestamp: new Date(Math.floor(NOW / 1000) * 1000),
    });
    expect(await verifyWebhook(secret, new Headers(headers), new TextEncoder().encode(body), { now })).toMatchObject({
      ok: true,
    });
    // Node's IncomingMessage.headers may hold any case; the secret may come without its prefix.
    const shouted = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toUpperCase(), [value]]));
    expect(await verifyWebhook(secret.slice('whsec_'.length), shouted, body, { now })).toMatchObject({ ok: true });
    const live = signed(body, { at: Date.now() });
    expect(await verifyWebhook(secret, live, body)).toMatchObject({ ok: true });
    expect(() => new Webhook(secret).verify(body, live)).not.toThrow();
  });

  it('refuses a wrong secret, a tampered body, id or timestamp', async () => {
    const headers = signed(body);
    expect(await verifyWebhook(otherSecret, headers, body, { now })).toEqual({
      ok: false,
      reason: 'NO_MATCHING_SIGNATURE',
    });
    const tampered = body.replace('DELIVERED', 'FAILED');
    expect(await verifyWebhook(secret, headers, tampered, { now })).toMatchObject({ reason: 'NO_MATCHING_SIGNATURE' });
    expect(await verifyWebhook(secret, headers, `${body} `, { now })).toMatchObject({
      reason: 'NO_MATCHING_SIGNATURE',
    });
    expect(await verifyWebhook(secret, { ...headers, 'webhook-id': 'msg_other' }, body, { now })).toMatchObject({
      reason: 'NO_MATCHING_SIGNATURE',
    });
    const later = String(Number(headers['webhook-timestamp']) + 1);
    expect(await verifyWebhook(secret, { ...headers, 'webhook-timestamp': later }, body, { now })).toMatchObject({
      reason: 'NO_MATCHING_SIGNATURE',
    });
  });

  it('refuses a timestamp more than 5 minutes old or ahead (a replay), and accepts one just inside', async () => {
    const minutes = (count: number) => NOW + count * 60_000;
    expect(await verifyWebhook(secret, signed(body, { at: minutes(-6) }), body, { now })).toEqual({
      ok: false,
      reason: 'TIMESTAMP_TOO_OLD',
    });
    expect(await verifyWebhook(secret, signed(body, { at: minutes(6) }), body, { now })).toEqual({
      ok: false,
      reason: 'TIMESTAMP_TOO_NEW',
    });
    expect(await verifyWebhook(secret, signed(body, { at: minutes(-4.9) }), body, { now })).toMatchObject({ ok: true });
    expect(
      await verifyWebhook(secret, signed(body, { at: minutes(-6) }), body, { now, toleranceSeconds: 600 }),
    ).toMatchObject({ ok: true });
    // The library refuses the same replay.
    expect(() => new Webhook(secret).verify(body, signed(body, { at: Date.now() - 6 * 60_000 }))).toThrow(/too old/);
  });

  it('accepts when any of several signatures matches (a secret being rotated), in any position', async () => {
    const withOld = signed(body, { key: otherSecret });
    const both = signed(body, { extraSignatures: [withOld['webhook-signature']!, 'v2,abc', 'v1,not base64!'] });
    expect(await verifyWebhook(secret, both, body, { now })).toMatchObject({ ok: true });
    expect(await verifyWebhook(otherSecret, both, body, { now })).toMatchObject({ ok: true });
    const third = `whsec_${randomBytes(32).toString('base64')}`;
    expect(await verifyWebhook(third, both, body, { now })).toMatchObject({ reason: 'NO_MATCHING_SIGNATURE' });
  });

  it('refuses missing headers, malformed timestamps and signatures, an unusable secret, a flood of signatures', async () => {
    const headers = signed(body);
    for (const missing of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const without = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== missing));
      expect(await verifyWebhook(secret, without, body, { now }), missing).toEqual({
        ok: false,
        reason: 'MISSING_HEADERS',
      });
    }
    for (const stamp of ['1e9', '-1', '17649', ' 1764946800', '1764946800.5', '9'.repeat(40)]) {
      const result = await verifyWebhook(secret, { ...headers, 'webhook-timestamp': stamp }, body, { now });
      expect(result.ok, stamp).toBe(false);
    }
    const signature = headers['webhook-signature']!;
    for (const forged of [
      '',
      'v1,',
      'v1',
      signature.replace('v1,', 'v2,'),
      signature.slice(0, -4),
      `v1,${'A'.repeat(44)}`,
    ]) {
      const result = await verifyWebhook(secret, { ...headers, 'webhook-signature': forged }, body, { now });
      expect(result.ok, forged).toBe(false);
    }
    expect(await verifyWebhook('whsec_***', headers, body, { now })).toEqual({ ok: false, reason: 'INVALID_SECRET' });
    expect(await verifyWebhook('whsec_', headers, body, { now })).toEqual({ ok: false, reason: 'INVALID_SECRET' });
    // Thousands of signatures are not each tried: a header longer than any real one is refused unread.
    const flood = `${Array.from({ length: 5_000 }, () => `v1,${'A'.repeat(44)}`).join(' ')} ${signature}`;
    const started = performance.now();
    expect(await verifyWebhook(secret, { ...headers, 'webhook-signature': flood }, body, { now })).toMatchObject({
      reason: 'NO_MATCHING_SIGNATURE',
    });
    expect(performance.now() - started).toBeLessThan(500);
  });
});
