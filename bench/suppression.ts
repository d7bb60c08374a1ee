// Part of `npm run bench`: what opt-outs and the per-number daily limit cost. (1) The checks on one
// 1000-number send (`screen`: one opt-out lookup, one daily reservation), against the in-memory stores
// and against Redis; (2) addOptOuts with 10,000 numbers in one call, over HTTP, to the shipped build in
// memory mode and with REDIS_URL.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createMemoryDailyCounterStore } from '../src/state/memory-daily-counter-store.js';
import { createMemoryOptOutStore } from '../src/state/memory-opt-out-store.js';
import { CANONICAL_FORM, canonicalNumber } from '../src/suppression/canonical-number.js';
import { createRedisDailyCounterStore, createRedisOptOutStore } from '../src/state/redis-suppression-stores.js';
import { screen, type SuppressionRules } from '../src/suppression/screen.js';
import type { DailyCounterStore } from '../src/suppression/daily-counter-store.js';
import type { OptOutStore } from '../src/suppression/opt-out-store.js';
import { PUBLISH_QUERY, startService, startSimulator } from './lib/servers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SENDS = 200;

/** `count` distinct numbers from `start`. */
const numbers = (start: number, count: number) =>
  Array.from({ length: count }, (_, index) => `+1415${String(start + index).padStart(7, '0')}`);

async function checksPerSend(name: string, optOuts: OptOutStore, store: DailyCounterStore): Promise<void> {
  // 10,000 numbers on the tenant's list; every batch has 100 of them among its 1000.
  await optOuts.add('bench', numbers(0, 10_000), { source: 'MANUAL', since: new Date().toISOString() });
  const rules: SuppressionRules = { optOuts, daily: { store, limit: 1_000_000, zone: 'Asia/Shanghai' } };
  const times: number[] = [];
  for (let send = 0; send < SENDS; send += 1) {
    const batch = [...numbers((send % 100) * 100, 100), ...numbers(1_000_000 + send * 900, 900)];
    const started = performance.now();
    const screened = await screen(rules, 'bench', batch, new Date(), () => undefined);
    times.push(performance.now() - started);
    if (screened.held.size !== 100) throw new Error(`expected 100 held back, got ${screened.held.size}`);
  }
  times.sort((a, b) => a - b);
  const mean = times.reduce((a, b) => a + b, 0) / times.length;
  console.log(
    `checks on a 1000-number send, ${name}: mean ${mean.toFixed(2)} ms, p50 ${times[SENDS / 2]!.toFixed(2)} ms, ` +
      `p99 ${times[Math.floor(SENDS * 0.99)]!.toFixed(2)} ms (${SENDS} sends, 100 of each held back)`,
  );
}

async function addTenThousand(name: string, env: Record<string, string>): Promise<void> {
  const simulator = await startSimulator();
  const service = await startService(simulator.target, [], env);
  try {
    const times: number[] = [];
    for (let call = 0; call < 5; call += 1) {
      const started = performance.now();
      const response = await fetch(service.value, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation Add($input: OptOutsInput!) { addOptOuts(input: $input) { changed unchanged } }',
          variables: { input: { endpoints: numbers(call * 10_000, 10_000), reason: 'bench' } },
        }),
      });
      const body = (await response.json()) as { data?: { addOptOuts: { changed: number } } };
      times.push(performance.now() - started);
      if (body.data?.addOptOuts.changed !== 10_000) throw new Error(`addOptOuts failed: ${JSON.stringify(body)}`);
    }
    // And one send of 1000 numbers through the whole service, with the list in place, for scale.
    const started = performance.now();
    await fetch(service.value, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: PUBLISH_QUERY,
        variables: { input: { endpoints: numbers(0, 1000), smsTemplateId: 't' } },
      }),
    });
    const send = performance.now() - started;
    console.log(
      `addOptOuts with 10,000 numbers, ${name}: ${times.map((time) => time.toFixed(0)).join(', ')} ms ` +
        `(a 1000-number send, all on the list, then takes ${send.toFixed(0)} ms end to end)`,
    );
  } finally {
    await service.stop();
    await simulator.stop();
  }
}

await checksPerSend('memory', createMemoryOptOutStore(), createMemoryDailyCounterStore());
const redis = new Redis(REDIS_URL);
try {
  const prefix = `bench-${randomUUID().slice(0, 8)}:`;
  await checksPerSend(
    'Redis',
    createRedisOptOutStore(redis, prefix, { of: canonicalNumber, form: CANONICAL_FORM }),
    createRedisDailyCounterStore(redis, prefix),
  );
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
} finally {
  redis.disconnect();
}
await addTenThousand('memory', {});
await addTenThousand('Redis', { REDIS_URL, REDIS_KEY_PREFIX: `bench-${randomUUID().slice(0, 8)}:` });
