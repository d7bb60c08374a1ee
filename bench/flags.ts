// npm run bench:flags — the shipped build at saturation under V8 flag variants, side by side:
// CPU per send, throughput, RSS right after start and peak RSS. BENCH_SIZE (default 1000) numbers per
// send; BENCH_FLAGS is a `;`-separated list of variants, each a space-separated list of node flags.
import autocannon from 'autocannon';
import { numbers } from './lib/limit.js';
import { cpuMs, memoryMb } from './lib/proc.js';
import { PUBLISH_QUERY, startService, startSimulator } from './lib/servers.js';

const SIZE = Number(process.env.BENCH_SIZE ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const VARIANTS = (process.env.BENCH_FLAGS ?? ';--max-old-space-size=128;--max-semi-space-size=16')
  .split(';')
  .map((variant) => variant.split(' ').filter(Boolean));

const simulator = await startSimulator();
try {
  for (const args of VARIANTS) {
    const service = await startService(simulator.target, args);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const idle = memoryMb(service.pid).rss;
    const options = {
      url: service.value,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: PUBLISH_QUERY,
        variables: { input: { endpoints: numbers(SIZE), smsTemplateId: 't' } },
      }),
      connections: 10,
    };
    await autocannon({ ...options, duration: 2 });
    const before = cpuMs(service.pid);
    const result = await autocannon({ ...options, duration: SECONDS });
    const cpu = (cpuMs(service.pid) - before) / result.requests.total;
    const { peak } = memoryMb(service.pid);
    console.log(
      `${(args.join(' ') || 'default').padEnd(50)} ${cpu.toFixed(2)} ms/op ${(result.requests.total / SECONDS).toFixed(0)} ops/s, RSS idle ${idle.toFixed(0)} MB, peak ${peak.toFixed(0)} MB${result.non2xx ? `, ${result.non2xx} non-2xx` : ''}`,
    );
    await service.stop();
  }
} finally {
  await simulator.stop();
}
