// Part of `npm run bench`: one campaign of 1,000,000 numbers, end to end, against the SMN simulator in
// its own process: the shipped build (dist/main.js) with REDIS_URL (BullMQ engine), pacing off. Measures
// recipients added per second (100 calls of 10,000 numbers over HTTP), messages sent per second (start
// to COMPLETED), the app's peak RSS and the Redis memory the campaign and its sent messages take.
// Writes its table into bench/RESULTS.md between the campaign markers.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { memoryMb } from './lib/proc.js';
import { writeResults } from './lib/results.js';
import { startService, startSimulator } from './lib/servers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const RECIPIENTS = Number(process.env.BENCH_CAMPAIGN_RECIPIENTS ?? 1_000_000);
const PER_CALL = 10_000;
const CONCURRENCY = process.env.BENCH_CAMPAIGN_CONCURRENCY ?? '2';
/** Extra node flags for the service, e.g. the small-pod heap (docs/operations.md). */
const FLAGS = (process.env.BENCH_CAMPAIGN_FLAGS ?? '').split(' ').filter(Boolean);

const numbers = (start: number, count: number) =>
  Array.from({ length: count }, (_, index) => `+86138${String(start + index).padStart(8, '0')}`);

async function graphql<T>(url: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? 0);
}

/** Removes the benchmark's keys (the send log alone holds a million messages for three days). */
async function cleanUp(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 10_000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

const redis = new Redis(REDIS_URL);
const prefix = `bench-${randomUUID().slice(0, 8)}:`;
const simulator = await startSimulator();
const service = await startService(simulator.target, FLAGS, {
  REDIS_URL,
  REDIS_KEY_PREFIX: prefix,
  CAMPAIGN_MESSAGES_PER_SECOND: '0',
  CAMPAIGN_WORKER_CONCURRENCY: CONCURRENCY,
});
const url = `${service.value}/graphql`;
const redisBefore = await usedMemory(redis);
let redisPeak = 0;
let rssPeak = 0;
const sampler = setInterval(() => {
  void usedMemory(redis).then((bytes) => (redisPeak = Math.max(redisPeak, bytes - redisBefore)));
  rssPeak = Math.max(rssPeak, memoryMb(service.pid).rss);
}, 250);

try {
  const { createPromotionCampaign: campaign } = await graphql<{ createPromotionCampaign: { id: string } }>(
    url,
    'mutation($input: CreatePromotionCampaignInput!) { createPromotionCampaign(input: $input) { id } }',
    { input: { name: 'bench', smsTemplateId: 'tpl_bench' } },
  );
  const addStarted = performance.now();
  for (let start = 0; start < RECIPIENTS; start += PER_CALL) {
    await graphql(
      url,
      'mutation($input: AddPromotionCampaignRecipientsInput!) { addPromotionCampaignRecipients(input: $input) { added } }',
      { input: { campaignId: campaign.id, endpoints: numbers(start, Math.min(PER_CALL, RECIPIENTS - start)) } },
    );
  }
  const addSeconds = (performance.now() - addStarted) / 1000;
  const redisAfterAdd = (await usedMemory(redis)) - redisBefore;

  const sendStarted = performance.now();
  await graphql(url, 'mutation($id: ID!) { startPromotionCampaign(id: $id) { status } }', { id: campaign.id });
  type View = { status: string; sent: number; failed: number; unknown: number; batchesDone: number; batches: number };
  let view: View;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    ({ promotionCampaign: view } = await graphql<{ promotionCampaign: View }>(
      url,
      'query($id: ID!) { promotionCampaign(id: $id) { status sent failed unknown batchesDone batches } }',
      { id: campaign.id },
    ));
    if (view.status === 'COMPLETED') break;
  }
  const sendSeconds = (performance.now() - sendStarted) / 1000;
  clearInterval(sampler);
  const redisAfter = (await usedMemory(redis)) - redisBefore;
  const rows = [
    `| recipients added per second (100 calls of 10,000 over HTTP) | ${Math.round(RECIPIENTS / addSeconds).toLocaleString('en')} (${addSeconds.toFixed(1)} s) |`,
    `| messages sent per second (start → COMPLETED, ${view.batches} batches) | ${Math.round(RECIPIENTS / sendSeconds).toLocaleString('en')} (${sendSeconds.toFixed(1)} s) |`,
    `| sent / failed / unknown | ${view.sent.toLocaleString('en')} / ${view.failed} / ${view.unknown} |`,
    `| app peak RSS | ${Math.round(Math.max(rssPeak, memoryMb(service.pid).peak))} MB |`,
    `| Redis memory after adding (recipients, dedupe set) | ${Math.round(redisAfterAdd / 2 ** 20)} MB |`,
    `| Redis memory at the end (campaign + send log of 1M messages + idempotency records) | ${Math.round(redisAfter / 2 ** 20)} MB (peak ${Math.round(redisPeak / 2 ** 20)} MB) |`,
  ];
  const table = [
    `Campaign of ${RECIPIENTS.toLocaleString('en')} numbers, one replica (dist/main.js, production), BullMQ on a local Redis,`,
    `CAMPAIGN_WORKER_CONCURRENCY=${CONCURRENCY}, pacing off, SMN simulator in its own process; 2 cores shared by all.`,
    '',
    '| measure | value |',
    '| --- | --- |',
    ...rows,
  ].join('\n');
  console.log(table);
  await writeResults('campaign', table, 'Campaigns');
} finally {
  clearInterval(sampler);
  await service.stop();
  await simulator.stop();
  await cleanUp(redis, prefix);
  redis.disconnect();
}
