import { describe, expect, it } from 'vitest';
import { createBatchRunner } from '../../src/campaigns/run-batch.js';
import { createLogger } from '../../src/observability/logger.js';
import { publishPromotionSms } from '../../src/send/publish.js';
import type { SendLog } from '../../src/send/send-log.js';
import type { SmnPromotionPort } from '../../src/smn/client.js';
import { createMemoryCampaignStore } from '../../src/state/memory-campaign-store.js';
import { createMemorySendLog } from '../../src/state/memory-send-log.js';
import { fixedClock } from '../../src/util/clock.js';

const logger = createLogger({ level: 'silent', pretty: false });

/** A running one-batch campaign of `count` numbers, sent through the real publish use case. */
async function campaignSentWith(sendLog: SendLog, count: number) {
  const clock = fixedClock(new Date('2026-12-05T10:00:00Z'));
  const store = createMemoryCampaignStore({ retentionMs: 86_400_000 });
  const created = await store.create(
    {
      id: 'cmp_000000000000000000000000042',
      tenant: 't',
      owner: { sub: 'owner', tenant: 't' },
      name: 'Unrecorded',
      smsTemplateId: 'tpl',
      status: 'DRAFT',
      messagesPerSecond: 0,
      createdAt: clock.now(),
    },
    10,
  );
  if (created.outcome !== 'created') throw new Error(created.outcome);
  const id = created.campaign.id;
  const endpoints = Array.from({ length: count }, (_, n) => `+86138${String(n + 1).padStart(8, '0')}`);
  await store.addRecipients(
    id,
    endpoints.map((endpoint) => ({ endpoint, canonical: endpoint })),
    1_000,
  );
  await store.transition(id, ['DRAFT'], { status: 'RUNNING', fixBatches: true, startedAt: clock.now() });
  const smn: SmnPromotionPort = {
    publishPromotion: async (request) => ({
      request_id: 'rid',
      result: request.endpoints.map((endpoint) => ({ endpoint, message_id: `m-${endpoint}` })),
    }),
  };
  const run = createBatchRunner({
    store,
    publish: (command, context) => publishPromotionSms({ smn, sendLog, logger, clock }, command, context),
    updates: { publish: () => Promise.resolve() },
    sendWindow: undefined,
    maxAttempts: 3,
    retryBaseMs: 1_000,
    waitSliceMs: 600_000,
    clock,
    logger,
  });
  const generation = (await store.get(id))!.generation;
  expect(await run({ campaignId: id, index: 0, generation, attempt: 0 })).toEqual({ type: 'done' });
  return store.get(id);
}

describe('a campaign batch whose send-log write failed', () => {
  it('is counted on the campaign as sent and unrecorded, not dropped', async () => {
    const failing: SendLog = {
      ...createMemorySendLog({ maxEntries: 10, ttlMs: 60_000 }),
      record: () => Promise.reject(new Error('OOM command not allowed when used memory > maxmemory')),
    };
    expect(await campaignSentWith(failing, 7)).toMatchObject({
      status: 'COMPLETED',
      sent: 7,
      unrecorded: 7,
      unknown: 0,
      batchesDone: 1,
    });
  });

  it('is 0 when the send log took every message', async () => {
    const working = createMemorySendLog({ maxEntries: 100, ttlMs: 60_000 });
    expect(await campaignSentWith(working, 7)).toMatchObject({ status: 'COMPLETED', sent: 7, unrecorded: 0 });
  });
});
