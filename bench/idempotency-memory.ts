// npm run bench:idempotency — memory of the shipped service in memory mode (no REDIS_URL) under
// --max-old-space-size=128 over 5,000 sequential-ish 1000-number sends, each with a fresh
// idempotencyKey: every answer (~100 KB) is stored, so without a byte budget the heap runs out after
// a few hundred. RSS is sampled every 500 sends; it must level off, and the process must survive.
import { randomUUID } from 'node:crypto';
import { numbers } from './lib/limit.js';
import { memoryMb } from './lib/proc.js';
import { PUBLISH_QUERY, startService, startSimulator } from './lib/servers.js';

const SENDS = Number(process.env.SENDS ?? 5000);
const CONCURRENCY = 4;

const simulator = await startSimulator();
const service = await startService(simulator.target, ['--max-old-space-size=128']);
const endpoints = numbers(1000);
let done = 0;
let failed = 0;
const samples: Array<{ sends: number; rss: number }> = [];

async function worker(): Promise<void> {
  while (done < SENDS) {
    done += 1;
    const response = await fetch(service.value, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: PUBLISH_QUERY,
        variables: { input: { endpoints, smsTemplateId: 't', idempotencyKey: randomUUID() } },
      }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    if (body.errors) failed += 1;
    if (done % 500 === 0) {
      samples.push({ sends: done, rss: memoryMb(service.pid).rss });
      console.log(`${done} sends: RSS ${samples.at(-1)!.rss.toFixed(0)} MB`);
    }
  }
}

try {
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const alive = service.process.exitCode === null;
  const second = samples.slice(samples.length / 2).map((sample) => sample.rss);
  const spread = Math.max(...second) - Math.min(...second);
  console.log(
    `\n${SENDS} keyed 1000-number sends, memory mode, --max-old-space-size=128: ${failed} failed, ` +
      `process ${alive ? 'alive' : 'DEAD'}, peak RSS ${memoryMb(service.pid).peak.toFixed(0)} MB, ` +
      `RSS spread over the second half ${spread.toFixed(0)} MB`,
  );
  if (!alive || failed > 0) process.exitCode = 1;
} finally {
  await service.stop();
  await simulator.stop();
}
