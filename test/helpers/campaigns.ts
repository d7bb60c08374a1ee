import {
  AddPromotionCampaignRecipientsDocument,
  CreatePromotionCampaignDocument,
  PromotionCampaignDocument,
  StartPromotionCampaignDocument,
  type CreatePromotionCampaignInput,
  type PromotionCampaignFieldsFragment,
} from '../../client/index.js';
import { expect, vi } from 'vitest';
import { SIMULATOR_ENDINGS } from '../../src/simulator/numbers.js';
import { execute } from './graphql.js';
import { REDIS_URL, uniquePrefix } from './redis.js';
import type { SimulatorProcess } from './simulator-process.js';
import { useStack, type Stack, type StackOptions } from './stack.js';

export type CampaignView = PromotionCampaignFieldsFragment;

/** Campaigns send thousands of numbers from one caller: the per-caller recipient quotas are off. */
export const NO_QUOTA = { QUOTA_RECIPIENTS_PER_MINUTE: '0', QUOTA_RECIPIENTS_PER_DAY: '0' } as const;

/** The two batch queues a campaign runs on: in process, and BullMQ when Redis is there. */
export function campaignEngines(redisAvailable: boolean) {
  return [
    { engine: 'in-process', env: {} as Record<string, string> },
    ...(redisAvailable ? [{ engine: 'BullMQ on Redis', env: { REDIS_URL } as Record<string, string> }] : []),
  ];
}

/**
 * The stack a campaign test file runs on: no recipient quota (`options.env` may set one), and a Redis
 * key prefix of its own when it uses Redis. `url()` is the stack app's GraphQL endpoint.
 */
export function useCampaignStack(options: StackOptions = {}): Stack & { url(): string } {
  const redis = options.env?.REDIS_URL ? { REDIS_KEY_PREFIX: uniquePrefix() } : {};
  const stack = useStack({ ...options, env: { ...NO_QUOTA, ...redis, ...options.env } });
  return Object.assign(stack, { url: () => stack.app.graphqlUrl });
}

/** The simulator fails numbers with these endings (no such number, frequency limit). */
const TRAP = new RegExp(`(${SIMULATOR_ENDINGS.noSuchNumber}|${SIMULATOR_ENDINGS.frequencyLimited})$`);

/** `count` distinct China mobile numbers (+86138...), the n-th from `start`, none a simulator trap. */
export function numbers(count: number, start = 0): string[] {
  const list: string[] = [];
  for (let n = start + 1; list.length < count; n++) {
    const number = `+86138${String(n).padStart(8, '0')}`;
    if (!TRAP.test(number)) list.push(number);
  }
  return list;
}

export async function createCampaign(
  url: string,
  input: Partial<CreatePromotionCampaignInput> = {},
  headers: Record<string, string> = {},
): Promise<CampaignView> {
  const result = await execute(
    url,
    CreatePromotionCampaignDocument,
    { input: { name: 'Spring sale', smsTemplateId: 'tpl-spring', messagesPerSecond: 100_000, ...input } },
    headers,
  );
  if (!result.data) throw new Error(`create failed: ${result.text}`);
  return result.data.createPromotionCampaign;
}

/** Adds numbers in calls of at most 10000. */
export async function addRecipients(
  url: string,
  campaignId: string,
  endpoints: string[],
  headers: Record<string, string> = {},
) {
  let last;
  for (let i = 0; i < endpoints.length; i += 10_000) {
    const result = await execute(
      url,
      AddPromotionCampaignRecipientsDocument,
      { input: { campaignId, endpoints: endpoints.slice(i, i + 10_000) } },
      headers,
    );
    if (!result.data) throw new Error(`add failed: ${result.text}`);
    last = result.data.addPromotionCampaignRecipients;
  }
  return last!;
}

export async function startCampaign(
  url: string,
  id: string,
  headers: Record<string, string> = {},
): Promise<CampaignView> {
  const result = await execute(url, StartPromotionCampaignDocument, { id }, headers);
  if (!result.data) throw new Error(`start failed: ${result.text}`);
  return result.data.startPromotionCampaign;
}

export async function readCampaign(url: string, id: string, headers: Record<string, string> = {}) {
  const result = await execute(url, PromotionCampaignDocument, { id }, headers);
  return result.data?.promotionCampaign ?? undefined;
}

/** Waits until the campaign reaches `status` (or gives up after `ms`). */
export function campaignReaches(
  url: string,
  id: string,
  status: string,
  ms = 30_000,
  headers: Record<string, string> = {},
): Promise<CampaignView> {
  return vi.waitFor(
    async () => {
      const campaign = await readCampaign(url, id, headers);
      expect(campaign?.status).toBe(status);
      return campaign!;
    },
    { timeout: ms, interval: 100 },
  );
}

/** One line of `app`'s Prometheus text: the value of `metric` (with its labels), 0 when absent. */
export async function metricValue(app: { readonly metricsUrl: string }, metric: string): Promise<number> {
  const text = await (await fetch(app.metricsUrl)).text();
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${metric} `));
  return line ? Number(line.slice(metric.length + 1)) : 0;
}

/**
 * Resolves once `app`'s campaign queue holds no job (waiting, delayed or running): from then on nothing
 * can be sent until something queues a batch again. Proves "nothing more happened" without sleeping.
 */
export function campaignQueueDrained(app: { readonly metricsUrl: string }, ms = 10_000): Promise<void> {
  return vi.waitFor(
    async () => {
      const text = await (await fetch(app.metricsUrl)).text();
      expect(text).toMatch(/^smn_gateway_campaign_queue_depth 0$/m);
    },
    { timeout: ms, interval: 50 },
  );
}

/**
 * Resolves once `app`'s batch jobs were told to wait (window closed, quota used up) `times` more times
 * than `before` counted: each job left looked again and still found it closed.
 */
export async function waitedAgain(app: { readonly metricsUrl: string }, before: number, times: number) {
  const metric = 'smn_gateway_campaign_batches_total{outcome="waiting"}';
  await vi.waitFor(async () => expect(await metricValue(app, metric)).toBeGreaterThanOrEqual(before + times), {
    timeout: 10_000,
    interval: 50,
  });
}

/** recipients = sent + failed + suppressed + unknown + remaining. */
export function addsUp(campaign: CampaignView): boolean {
  return (
    campaign.recipients ===
    campaign.sent + campaign.failed + campaign.suppressed + campaign.unknown + campaign.remaining
  );
}

/** Every number the simulator was asked to send, in order. */
export async function receivedNumbers(simulator: Pick<SimulatorProcess, 'requests'>): Promise<string[]> {
  return (await simulator.requests()).flatMap((body) => (body as { endpoints: string[] }).endpoints);
}
