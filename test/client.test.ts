import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { describeSend } from '../client/example/consumer.js';
import {
  launchPromotionCampaign,
  promotionCampaign,
  SmsGatewayErrorCode,
  sendPromotionSms,
  smsCatalog,
  smsTemplate,
} from '../client/index.js';
import { SIMULATOR_ID_PREFIXES, SIMULATOR_IDS, SIMULATOR_NUMBERS } from '../src/simulator/numbers.js';
import { useStack } from './helpers/stack.js';
import { promotionInput } from './helpers/inputs.js';
import { writeProjectManifest } from './helpers/trusted-documents.js';

// As a frontend meets it in production: the client sends ids of the documents the service lists.
const manifest = await writeProjectManifest();
const stack = useStack({
  simulator: 'embedded',
  env: {
    QUOTA_RECIPIENTS_PER_MINUTE: '0',
    QUOTA_RECIPIENTS_PER_DAY: '0',
    TRUSTED_DOCUMENTS: 'require',
    TRUSTED_DOCUMENTS_MANIFEST: manifest,
  },
});

describe('the typed client', () => {
  it('compiles, with a consumer, under a frontend-style strict tsconfig', () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    expect(() => execFileSync(process.execPath, [tsc, '--noEmit', '-p', 'client'], { stdio: 'pipe' })).not.toThrow();
  });

  it('runs the consumer against the service: results narrowed by __typename', async () => {
    const { delivered, noSuchNumber } = SIMULATOR_NUMBERS;
    const lines = await describeSend([delivered, noSuchNumber], { url: stack.app.graphqlUrl });
    expect(lines[0]).toMatch(/^sent to \S+ as [0-9a-f]{32}$/);
    expect(lines[0]).toContain(`sent to ${delivered} as `);
    expect(lines[1]).toBe(`failed for ${noSuchNumber}: SMN_0167 (SMN.0167)`);
  });

  it('returns typed errors with their code, fields and delivery', async () => {
    expect(await describeSend(['nope'], { url: stack.app.graphqlUrl })).toEqual([
      'fix endpoints[0]: must be a phone number: "+" then country code and number (E.164), or a China mobile number without "+86"',
    ]);
    const rejected = await sendPromotionSms(
      { endpoints: [SIMULATOR_NUMBERS.delivered], smsTemplateId: SIMULATOR_IDS.templateMissing },
      { url: stack.app.graphqlUrl, requestId: 'client-test-1' },
    );
    expect(rejected.ok).toBe(false);
    if (!rejected.ok) {
      expect(rejected.error).toMatchObject({
        code: SmsGatewayErrorCode.SmnRejected,
        delivery: 'NOT_SENT',
        httpStatus: 200,
      });
    }
    const sent = await sendPromotionSms(promotionInput(), { url: stack.app.graphqlUrl });
    expect(sent.ok && sent.sent.map((result) => result.endpoint)).toEqual([SIMULATOR_NUMBERS.delivered]);
  });

  it('launches a campaign (create, add in calls of 10,000, start) and reads it back', async () => {
    const options = { url: stack.app.graphqlUrl };
    const numbers = Array.from({ length: 12_000 }, (_, i) => `+86139${String(i + 1).padStart(8, '0')}`);
    const launched = await launchPromotionCampaign(
      { name: 'Client launch', smsTemplateId: 'tpl_client', messagesPerSecond: 100_000 },
      [...numbers, 'nope'],
      { ...options, skipInvalid: true },
    );
    expect(launched.ok).toBe(true);
    if (!launched.ok) return;
    expect(launched.value).toMatchObject({
      invalid: 1,
      duplicatesRemoved: 0,
      campaign: { recipients: 12_000, batches: 12 },
    });
    await expect
      .poll(
        async () => {
          const read = await promotionCampaign(launched.value.campaign.id, options);
          return read.ok ? read.value?.status : undefined;
        },
        { timeout: 20_000 },
      )
      .toBe('COMPLETED');
    const refused = await launchPromotionCampaign({ name: 'x', smsTemplateId: 'tpl' }, ['bad'], options);
    expect(!refused.ok && refused.error.code).toBe(SmsGatewayErrorCode.BadUserInput);
  });

  it('reads the template and signature lists for a picker', async () => {
    const options = { url: stack.app.graphqlUrl };
    const catalog = await smsCatalog({ first: 10, name: 'demo' }, options);
    expect(catalog.ok && catalog.value.smsTemplates.nodes.map((node) => node.id)).toEqual(['tpl_promo_demo']);
    expect(catalog.ok && catalog.value.smsSigns.map((sign) => sign.id)).toEqual(['sign_demo', 'sign_global']);
    const missing = await smsTemplate(`${SIMULATOR_ID_PREFIXES.templateMissing}_one`, options);
    expect(missing).toEqual({ ok: true, value: null });
  });
});
