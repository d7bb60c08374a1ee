import {
  AddPromotionCampaignRecipientsDocument,
  CreatePromotionCampaignDocument,
  PromotionCampaignDocument,
  StartPromotionCampaignDocument,
  type CreatePromotionCampaignInput,
  type PromotionCampaignFieldsFragment,
} from '../../client/index.js';
import { eventually } from './events.js';
import { execute } from './graphql.js';
import type { SimulatorProcess } from './simulator-process.js';

export type CampaignView = PromotionCampaignFieldsFragment;

/** The simulator fails numbers ending in 0000 (no such number) and 0057 (frequency limit). */
const TRAP = /(0000|0057)$/;

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
) {
  return eventually(async () => {
    const campaign = await readCampaign(url, id, headers);
    return campaign?.status === status ? campaign : undefined;
  }, ms);
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
