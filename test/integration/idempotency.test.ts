import { beforeEach, describe, expect, it, vi } from 'vitest';
import { PublishPromotionSmsDocument } from '../../client/generated.js';
import { useStack } from '../helpers/stack.js';
import { promotionInput, publish } from '../helpers/inputs.js';
import { execute } from '../helpers/graphql.js';

// The embedded default: idempotency records in memory.
const stack = useStack();

beforeEach(() => stack.simulator.reset());

describe('idempotency keys over GraphQL (in-memory state)', () => {
  it('replays cost no quota: only the request that sends consumes it', async () => {
    await stack.withApp({ QUOTA_RECIPIENTS_PER_MINUTE: '2' }, async (tight) => {
      const input = promotionInput({ endpoints: ['+8613800001001', '+8613800001002'], idempotencyKey: 'q-1' });
      const send = () => execute(tight.graphqlUrl, PublishPromotionSmsDocument, { input });
      const first = await send();
      expect(first.data?.publishPromotionSms.replayed).toBe(false);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        const again = await send();
        expect(again.errors).toBeUndefined();
        expect(again.data?.publishPromotionSms).toEqual({ ...first.data!.publishPromotionSms, replayed: true });
      }
      expect(await stack.simulator.requests()).toHaveLength(1);
    });
  });

  it('does not store validation errors: the caller fixes the input and retries with the same key', async () => {
    const refused = await publish(stack.app, promotionInput({ endpoints: ['not-a-number'], idempotencyKey: 'fix-me' }));
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const fixed = await publish(stack.app, promotionInput({ endpoints: ['+8613800001005'], idempotencyKey: 'fix-me' }));
    expect(fixed.data?.publishPromotionSms.replayed).toBe(false);
    expect(await stack.simulator.requests()).toHaveLength(1);
  });

  it('forgets a key after IDEMPOTENCY_TTL: the same key may then send again', async () => {
    await stack.withApp({ IDEMPOTENCY_TTL: '1s' }, async (short) => {
      const input = promotionInput({ endpoints: ['+8613800001007'], idempotencyKey: 'short-lived' });
      const send = () => execute(short.graphqlUrl, PublishPromotionSmsDocument, { input });
      // The memory store's finished records expire on lru-cache's own monotonic time, which no
      // injected clock reaches: retry until the key is forgotten (each replay sends nothing), and
      // check it was not forgotten before its second was up.
      const started = performance.now();
      expect((await send()).data?.publishPromotionSms.replayed).toBe(false);
      expect((await send()).data?.publishPromotionSms.replayed).toBe(true);
      await vi.waitFor(async () => expect((await send()).data?.publishPromotionSms.replayed).toBe(false), {
        timeout: 10_000,
        interval: 100,
      });
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
      expect(await stack.simulator.requests()).toHaveLength(2);
    });
  });

  it.each([
    ['empty', ''],
    ['256 characters', 'k'.repeat(256)],
    ['non-ASCII', 'clé-1'],
    ['a control character', 'a\nb'],
  ])('refuses an idempotencyKey that is %s, sending nothing', async (_name, idempotencyKey) => {
    const result = await publish(stack.app, promotionInput({ endpoints: ['+8613800001001'], idempotencyKey }));
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.validationErrors).toEqual([
      { field: 'idempotencyKey', message: 'must be 1 to 255 printable ASCII characters' },
    ]);
    expect(await stack.simulator.requests()).toEqual([]);
  });
});
