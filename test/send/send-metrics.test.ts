import { describe, expect, it } from 'vitest';
import { withIdempotency } from '../../src/send/idempotent-publish.js';
import { countedSends, type SendMetrics } from '../../src/send/send-metrics.js';
import type { PromotionSmsCommand, PromotionSmsReport, PublishContext } from '../../src/send/publish.js';
import { SmnError } from '../../src/smn/errors.js';
import { createMemoryIdempotencyStore } from '../../src/state/memory-idempotency-store.js';

function recorder() {
  const seen: string[] = [];
  const metrics: SendMetrics = {
    smnCall: (source, status, seconds) => seen.push(`call ${source} ${status} ${seconds}`),
    sent: (source, count) => count > 0 && seen.push(`sent ${source} ${count}`),
    failed: (source, code) => seen.push(`failed ${source} ${code}`),
  };
  return { metrics, seen };
}

const command: PromotionSmsCommand = { endpoints: ['+8613800001001', '+8613800000000'], smsTemplateId: 'tpl' };

/** What publishPromotionSms does to `stats` for an answer of one sent and one failed number. */
async function answered(_command: PromotionSmsCommand, context: PublishContext): Promise<PromotionSmsReport> {
  Object.assign(context.stats!, { smnStatus: 200, smnLatencyMs: 250, sentCount: 1, failedCodes: ['SMN.0167'] });
  return {
    requestId: 'r',
    results: [],
    sentCount: 1,
    failedCount: 1,
    duplicatesRemoved: 0,
    suppressedCount: 0,
    replayed: false,
  };
}

describe('every send counts its SMN call and messages, by source', () => {
  it('a campaign batch (no request stats of its own) is counted under source campaign', async () => {
    const { metrics, seen } = recorder();
    await countedSends(answered, 'campaign', metrics)(command, {});
    expect(seen).toEqual(['call campaign 200 0.25', 'sent campaign 1', 'failed campaign SMN.0167']);
  });

  it("a direct send fills the request's stats (the log line) and is counted under source direct", async () => {
    const { metrics, seen } = recorder();
    const stats = {};
    await countedSends(answered, 'direct', metrics)(command, { stats });
    expect(stats).toMatchObject({ smnStatus: 200, sentCount: 1 });
    expect(seen).toEqual(['call direct 200 0.25', 'sent direct 1', 'failed direct SMN.0167']);
  });

  it('a call that failed is still a call; a send refused before SMN is none', async () => {
    const { metrics, seen } = recorder();
    const rejected = countedSends(
      async (_command, context) => {
        Object.assign(context.stats!, { smnStatus: 400, smnLatencyMs: 100 });
        throw new SmnError('no such template', { kind: 'rejected', delivery: 'NOT_SENT' });
      },
      'campaign',
      metrics,
    );
    await expect(rejected(command, {})).rejects.toThrow('no such template');
    const refused = countedSends(() => Promise.reject(new Error('quota')), 'direct', metrics);
    await expect(refused(command, {})).rejects.toThrow('quota');
    expect(seen).toEqual(['call campaign 400 0.1']);
  });

  it('an answer replayed for an idempotency key called nothing and counts nothing', async () => {
    const { metrics, seen } = recorder();
    const publish = withIdempotency(countedSends(answered, 'campaign', metrics), {
      store: createMemoryIdempotencyStore({ maxEntries: 10, maxBytes: 100_000, ttlMs: 60_000 }),
      ttlMs: 60_000,
      waitMs: 1_000,
    });
    const keyed = { ...command, idempotencyKey: 'campaign:c:batch:0' };
    await publish(keyed, {});
    const again = await publish(keyed, {});
    expect(again.replayed).toBe(true);
    expect(seen.filter((line) => line.startsWith('call'))).toHaveLength(1);
    expect(seen.filter((line) => line.startsWith('sent'))).toHaveLength(1);
  });
});
