import { afterEach, describe, expect, it } from 'vitest';
import type { CampaignStore } from '../../src/campaigns/campaign-store.js';
import { applyReport, type ReportDependencies } from '../../src/deliveries/reports.js';
import { createLogger } from '../../src/observability/logger.js';
import type { SentMessage } from '../../src/send/send-log.js';
import { createMemoryDeliveryFeed } from '../../src/state/memory-deliveries.js';
import { createMemorySendLog } from '../../src/state/memory-send-log.js';
import { fixedClock } from '../../src/util/clock.js';

/** applyReport over the in-memory send log and delivery feed, on a fixed clock. */

const logger = createLogger({ level: 'silent', pretty: false });
const SUBMITTED_AT = new Date('2026-03-02T10:00:00.000Z');
const NOW = new Date('2026-03-02T10:00:05.000Z');

const message = (messageId: string, extra: Partial<SentMessage> = {}): SentMessage => ({
  messageId,
  endpoint: `+86138000000${messageId.slice(-2)}`,
  requestId: 'req-1',
  smsTemplateId: 'tpl_promo',
  submittedAt: SUBMITTED_AT,
  sentBy: { sub: 'user', tenant: 'acme' },
  ...extra,
});

const closers: Array<() => void> = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

async function world(messages: SentMessage[] = [message('msg-01'), message('msg-02')]) {
  const sendLog = createMemorySendLog({ maxEntries: 100, ttlMs: 86_400_000, clock: fixedClock(NOW) });
  closers.push(() => sendLog.close());
  await sendLog.record(messages);
  const feed = createMemoryDeliveryFeed();
  const heard: SentMessage[] = [];
  feed.subscribe('req-1', (changed) => heard.push(changed));
  const counted: Array<[string, string]> = [];
  const campaigns: Pick<CampaignStore, 'countDelivery'> = {
    countDelivery: (id, outcome) => {
      counted.push([id, outcome]);
      return Promise.resolve();
    },
  };
  const deps: ReportDependencies = { sendLog, feed, logger, clock: fixedClock(NOW), campaigns };
  return { sendLog, feed, heard, counted, deps };
}

describe('applyReport', () => {
  it('a report updates its message (status by carrier code, when learned, when delivered) and is announced', async () => {
    const w = await world();
    const deliveredAt = new Date('2026-03-02T10:00:03.000Z');
    expect(await applyReport(w.deps, { messageId: 'msg-01', success: true, carrierCode: 'DELIVRD', deliveredAt })).toBe(
      'updated',
    );
    const expected = { status: 'DELIVERED', carrierCode: 'DELIVRD', reportedAt: NOW, deliveredAt };
    expect((await w.sendLog.find('msg-01'))?.delivery).toEqual(expected);
    expect(w.heard).toEqual([expect.objectContaining({ messageId: 'msg-01', delivery: expected })]);
    // The other message of the request is untouched.
    expect((await w.sendLog.find('msg-02'))?.delivery).toBeUndefined();
  });

  it('the first final status wins: a repeated or conflicting later report changes nothing and is not announced', async () => {
    const w = await world();
    await applyReport(w.deps, { messageId: 'msg-01', success: false, carrierCode: 'UNDELIV' });
    expect(await applyReport(w.deps, { messageId: 'msg-01', success: true, carrierCode: 'DELIVRD' })).toBe('unchanged');
    expect(await applyReport(w.deps, { messageId: 'msg-01', success: false, carrierCode: 'UNDELIV' })).toBe(
      'unchanged',
    );
    expect((await w.sendLog.find('msg-01'))?.delivery).toMatchObject({ status: 'FAILED', carrierCode: 'UNDELIV' });
    expect(w.heard).toHaveLength(1);
  });

  it('an unknown (or expired) message id: answered unknown, nothing announced or counted', async () => {
    const w = await world([message('msg-01', { campaignId: 'cmp_1' })]);
    expect(await applyReport(w.deps, { messageId: 'msg-99', success: true, carrierCode: 'DELIVRD' })).toBe('unknown');
    expect(w.heard).toEqual([]);
    expect(w.counted).toEqual([]);
  });

  it('without a carrier code the success flag decides; an unknown code too, kept beside it', async () => {
    const w = await world();
    await applyReport(w.deps, { messageId: 'msg-01', success: true });
    await applyReport(w.deps, { messageId: 'msg-02', success: false, carrierCode: 'NOROUTE' });
    expect((await w.sendLog.find('msg-01'))?.delivery).toEqual({ status: 'DELIVERED', reportedAt: NOW });
    expect((await w.sendLog.find('msg-02'))?.delivery).toMatchObject({ status: 'FAILED', carrierCode: 'NOROUTE' });
  });
});

describe('applyReport: campaign counts', () => {
  const campaignMessages = [
    message('msg-01', { campaignId: 'cmp_a' }),
    message('msg-02', { campaignId: 'cmp_a' }),
    message('msg-03', { campaignId: 'cmp_a' }),
    message('msg-04', { campaignId: 'cmp_a' }),
    message('msg-05'),
  ];

  it("a campaign message's final status counts once as delivered or undelivered; UNKNOWN counts neither", async () => {
    const w = await world(campaignMessages);
    await applyReport(w.deps, { messageId: 'msg-01', success: true, carrierCode: 'DELIVRD' });
    await applyReport(w.deps, { messageId: 'msg-01', success: true, carrierCode: 'DELIVRD' });
    await applyReport(w.deps, { messageId: 'msg-02', success: false, carrierCode: 'EXPIRED' });
    await applyReport(w.deps, { messageId: 'msg-03', success: false, carrierCode: 'REJECTD' });
    await applyReport(w.deps, { messageId: 'msg-04', success: false, carrierCode: 'UNKNOWN' });
    // A direct send has no campaign to count for.
    await applyReport(w.deps, { messageId: 'msg-05', success: true, carrierCode: 'DELIVRD' });
    expect(w.counted).toEqual([
      ['cmp_a', 'delivered'],
      ['cmp_a', 'undelivered'],
      ['cmp_a', 'undelivered'],
    ]);
  });

  it('a counted report announces its campaign (promotionCampaignUpdates streams the counts); failures announce nothing', async () => {
    const w = await world(campaignMessages);
    const announced: string[] = [];
    const deps: ReportDependencies = {
      ...w.deps,
      campaignUpdates: { publish: (id) => (announced.push(id), Promise.resolve()) },
    };
    await applyReport(deps, { messageId: 'msg-01', success: true, carrierCode: 'DELIVRD' });
    await applyReport(deps, { messageId: 'msg-01', success: true, carrierCode: 'DELIVRD' });
    await applyReport(deps, { messageId: 'msg-04', success: false, carrierCode: 'UNKNOWN' });
    await applyReport(deps, { messageId: 'msg-05', success: true, carrierCode: 'DELIVRD' });
    expect(announced).toEqual(['cmp_a']);
    const failing: ReportDependencies = {
      ...deps,
      campaigns: { countDelivery: () => Promise.reject(new Error('redis down')) },
      campaignUpdates: { publish: () => Promise.reject(new Error('pub/sub down')) },
    };
    expect(await applyReport(failing, { messageId: 'msg-02', success: true, carrierCode: 'DELIVRD' })).toBe('updated');
    const announceFails: ReportDependencies = {
      ...deps,
      campaignUpdates: { publish: () => Promise.reject(new Error('pub/sub down')) },
    };
    expect(await applyReport(announceFails, { messageId: 'msg-03', success: true, carrierCode: 'DELIVRD' })).toBe(
      'updated',
    );
    expect(announced).toEqual(['cmp_a']);
  });

  it('counting or announcing failing does not fail the report: the status is kept', async () => {
    const w = await world(campaignMessages);
    const deps: ReportDependencies = {
      ...w.deps,
      campaigns: { countDelivery: () => Promise.reject(new Error('redis down')) },
      feed: { ...w.feed, publish: () => Promise.reject(new Error('pub/sub down')) },
    };
    expect(await applyReport(deps, { messageId: 'msg-01', success: true, carrierCode: 'DELIVRD' })).toBe('updated');
    expect((await w.sendLog.find('msg-01'))?.delivery?.status).toBe('DELIVERED');
  });
});
