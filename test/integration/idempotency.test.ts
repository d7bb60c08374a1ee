import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PublishPromotionSmsDocument, type PublishPromotionSmsInput } from '../../client/generated.js';
import { envFor, startApp, type TestApp } from '../helpers/app.js';
import { execute } from '../helpers/graphql.js';
import { startSimulatorProcess, type SimulatorProcess } from '../helpers/simulator-process.js';

let simulator: SimulatorProcess;
let app: TestApp;

beforeAll(async () => {
  simulator = await startSimulatorProcess();
  // The embedded default: idempotency records in memory.
  app = await startApp(envFor(simulator));
});
afterAll(async () => {
  await app?.close();
  await simulator?.stop();
});
beforeEach(() => simulator.reset());

const publish = (input: PublishPromotionSmsInput) => execute(app.graphqlUrl, PublishPromotionSmsDocument, { input });

describe('idempotency keys over GraphQL (in-memory state)', () => {
  it('replays cost no quota: only the request that sends consumes it', async () => {
    const tight = await startApp(envFor(simulator, { QUOTA_RECIPIENTS_PER_MINUTE: '2' }));
    try {
      const input = { endpoints: ['+8613800001001', '+8613800001002'], smsTemplateId: 'tpl', idempotencyKey: 'q-1' };
      const send = () => execute(tight.graphqlUrl, PublishPromotionSmsDocument, { input });
      const first = await send();
      expect(first.data?.publishPromotionSms.replayed).toBe(false);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const again = await send();
        expect(again.errors).toBeUndefined();
        expect(again.data?.publishPromotionSms).toEqual({ ...first.data!.publishPromotionSms, replayed: true });
      }
      expect(await simulator.requests()).toHaveLength(1);
    } finally {
      await tight.close();
    }
  });

  it('does not store validation errors: the caller fixes the input and retries with the same key', async () => {
    const refused = await publish({ endpoints: ['not-a-number'], smsTemplateId: 'tpl', idempotencyKey: 'fix-me' });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const fixed = await publish({ endpoints: ['+8613800001005'], smsTemplateId: 'tpl', idempotencyKey: 'fix-me' });
    expect(fixed.data?.publishPromotionSms.replayed).toBe(false);
    expect(await simulator.requests()).toHaveLength(1);
  });

  it('forgets a key after IDEMPOTENCY_TTL: the same key may then send again', async () => {
    const short = await startApp(envFor(simulator, { IDEMPOTENCY_TTL: '1s' }));
    try {
      const input = { endpoints: ['+8613800001007'], smsTemplateId: 'tpl', idempotencyKey: 'short-lived' };
      const send = () => execute(short.graphqlUrl, PublishPromotionSmsDocument, { input });
      expect((await send()).data?.publishPromotionSms.replayed).toBe(false);
      expect((await send()).data?.publishPromotionSms.replayed).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect((await send()).data?.publishPromotionSms.replayed).toBe(false);
      expect(await simulator.requests()).toHaveLength(2);
    } finally {
      await short.close();
    }
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['non-ASCII', 'clé-1'],
    ['a control character', 'a\nb'],
  ])('refuses an idempotencyKey that is %s, sending nothing', async (_name, idempotencyKey) => {
    const result = await publish({ endpoints: ['+8613800001001'], smsTemplateId: 'tpl', idempotencyKey });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.validationErrors).toEqual([
      { field: 'idempotencyKey', message: 'must be 1 to 255 printable ASCII characters' },
    ]);
    expect(await simulator.requests()).toEqual([]);
  });
});
