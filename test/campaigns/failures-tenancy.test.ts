import { afterEach, describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import { createCampaigns } from '../../src/campaigns/campaigns.js';
import { createLogger } from '../../src/observability/logger.js';
import { createMemoryBatchQueue } from '../../src/state/memory-batch-queue.js';
import { createMemoryCampaignStore } from '../../src/state/memory-campaign-store.js';
import { fixedClock } from '../../src/util/clock.js';
import { createMemoryFeed } from '../../src/util/feed.js';
import { LogCapture } from '../helpers/log-capture.js';

const logger = createLogger({ level: 'silent', destination: new LogCapture() });
const caller = (tenant: string): Caller => ({ sub: 'user', tenant, scopes: new Set() });
const ACME = caller('acme');
const OTHER = caller('other');

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** ACME's started campaign whose first batch failed two numbers, over the in-memory store. */
async function campaignWithFailures() {
  const clock = fixedClock('2026-03-02T10:00:00Z');
  const store = createMemoryCampaignStore({ retentionMs: 86_400_000, clock });
  const queue = createMemoryBatchQueue({ concurrency: 1, logger });
  closers.push(() => queue.close());
  const campaigns = createCampaigns({
    store,
    queue,
    updates: createMemoryFeed<string>((id) => id),
    maxRecipients: 1_000,
    maxOpenPerTenant: 10,
    defaultMessagesPerSecond: 0,
    clock,
    logger,
  });
  const { id } = await campaigns.create(ACME, { name: 'Spring sale', smsTemplateId: 'tpl' });
  const failures = [
    { status: 'failed' as const, endpoint: '+8613800000001', code: 'SMN.0167', message: 'no such number' },
    { status: 'failed' as const, endpoint: '+8613800000002', code: 'OPTED_OUT', message: 'opted out' },
  ];
  await store.recordBatch(id, 0, { sent: 0, failed: 2, suppressed: 0, unknown: 0, failures }, clock.now());
  return { campaigns, id, failures };
}

describe("Campaigns.failures(caller, ...): the tenant check is the use case's own", () => {
  it("gives the campaign's own tenant its failures", async () => {
    const { campaigns, id, failures } = await campaignWithFailures();
    expect(await campaigns.failures(ACME, id, 0, 10)).toEqual({ failures, total: 2 });
    expect(await campaigns.failures(ACME, id, 1, 10)).toEqual({ failures: failures.slice(1), total: 2 });
  });

  it('answers another tenant exactly as an unknown campaign: no failures, no total, no numbers', async () => {
    const { campaigns, id } = await campaignWithFailures();
    const unknown = await campaigns.failures(ACME, 'cmp_unknown', 0, 10);
    expect(unknown).toEqual({ failures: [], total: 0 });
    expect(await campaigns.failures(OTHER, id, 0, 10)).toEqual(unknown);
  });
});
