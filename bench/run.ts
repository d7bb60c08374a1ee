// npm run bench: this service against the limit (the signed REST call alone) and a plain graphql-js
// baseline, same machine, same SMN simulator in its own process. Writes bench/RESULTS.md.
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import { atRate, limitClient, numbers, saturate, wireRequest, type SmnTarget } from './lib/limit.js';
import { json, startChild, type Child } from '../scripts/lib/child-process.js';
import { cpuMs, memoryMb } from './lib/proc.js';
import { writeResults } from './lib/results.js';
import { PUBLISH_QUERY, smnEnv, startService, startSimulator } from './lib/servers.js';

const SIZES = (process.env.BENCH_SIZES ?? '1,100,1000').split(',').map(Number);
const CONNECTIONS = 10;
const SATURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const RATE = 20; // operations per second for the latency measurement: moderate for every variant
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 60);

function body(size: number): string {
  return JSON.stringify({
    query: PUBLISH_QUERY,
    variables: { input: { endpoints: numbers(size), smsTemplateId: 'tpl_bench' } },
  });
}

function startBaseline(target: SmnTarget) {
  return startChild(
    ['--import', 'tsx', 'bench/baseline-server.ts'],
    smnEnv(target),
    (line) => json(line)?.baseline as string | undefined,
  );
}

interface Row {
  variant: string;
  size: number;
  perSecond: number;
  p50: number;
  p99: number;
  cpuPerOp?: number;
  peakRss?: number;
}

async function measureServer(variant: string, server: Child<string>, size: number): Promise<Row> {
  const payload = body(size);
  const options = {
    url: server.value,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: payload,
  };
  // Warm up, then saturate while watching the server's CPU.
  await autocannon({ ...options, connections: CONNECTIONS, duration: 2 });
  const cpuBefore = cpuMs(server.pid);
  const saturated = await autocannon({ ...options, connections: CONNECTIONS, duration: SATURATION_SECONDS });
  const cpuUsed = cpuMs(server.pid) - cpuBefore;
  if (saturated.non2xx > 0 || saturated.errors > 0)
    throw new Error(`${variant}: ${saturated.non2xx} non-2xx, ${saturated.errors} errors`);
  const paced = await autocannon({ ...options, connections: CONNECTIONS, duration: 10, overallRate: RATE });
  return {
    variant,
    size,
    perSecond: saturated.requests.total / SATURATION_SECONDS,
    p50: paced.latency.p50,
    p99: paced.latency.p99,
    cpuPerOp: cpuUsed / saturated.requests.total,
    peakRss: memoryMb(server.pid).peak,
  };
}

async function measureLimit(target: SmnTarget, size: number): Promise<Row> {
  const client = limitClient(target);
  const request = wireRequest(size);
  const call = () => client.publishPromotion(request);
  await saturate(call, CONNECTIONS, 2);
  const before = process.cpuUsage();
  const { perSecond, operations } = await saturate(call, CONNECTIONS, SATURATION_SECONDS);
  const used = process.cpuUsage(before);
  const cpuPerOp = (used.user + used.system) / 1000 / operations;
  const { p50, p99 } = await atRate(call, RATE, 10);
  client.close();
  return { variant: 'limit', size, perSecond, p50, p99, cpuPerOp };
}

async function soak(server: Child<string>): Promise<{ start: number; end: number; max: number }> {
  const samples: number[] = [];
  const timer = setInterval(() => samples.push(memoryMb(server.pid).rss), 1000);
  await autocannon({
    url: server.value,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body(1000),
    connections: CONNECTIONS,
    duration: SOAK_SECONDS,
  });
  clearInterval(timer);
  const settled = samples.slice(Math.min(5, samples.length - 1));
  return { start: settled[0] ?? 0, end: samples.at(-1) ?? 0, max: Math.max(...samples) };
}

const fmt = (value: number | undefined, digits = 1) => (value === undefined ? '—' : value.toFixed(digits));

const simulator = await startSimulator();
const rows: Row[] = [];
let soaked: Awaited<ReturnType<typeof soak>> | undefined;
try {
  for (const size of SIZES) {
    rows.push(await measureLimit(simulator.target, size));
    const baseline = await startBaseline(simulator.target);
    rows.push(await measureServer('baseline', baseline, size));
    await baseline.stop();
    const service = await startService(simulator.target);
    rows.push(await measureServer('smn-gateway', service, size));
    if (size === 1000 && SOAK_SECONDS > 0) soaked = await soak(service);
    await service.stop();
    console.error(`measured ${size} endpoints`);
  }
} finally {
  await simulator.stop();
}

const lines = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
  `Saturation: ${CONNECTIONS} connections for ${SATURATION_SECONDS} s (autocannon; the limit uses ${CONNECTIONS} loops).`,
  `Latency: ${RATE} operations/s for 10 s. CPU and peak RSS are the server process's (from /proc).`,
  'The simulator runs in its own process; all processes share the same 2 cores.',
  '',
  '| endpoints | variant | ops/s | p50 ms | p99 ms | CPU ms/op | peak RSS MB | ops/s vs limit | CPU vs baseline |',
  '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const size of SIZES) {
  const of = (variant: string) => rows.find((row) => row.size === size && row.variant === variant)!;
  const limit = of('limit');
  const baseline = of('baseline');
  for (const row of [limit, baseline, of('smn-gateway')]) {
    const vsLimit = row === limit ? '1.00' : (row.perSecond / limit.perSecond).toFixed(2);
    const vsBaseline = row.cpuPerOp && baseline.cpuPerOp ? (row.cpuPerOp / baseline.cpuPerOp).toFixed(2) : '—';
    lines.push(
      `| ${size} | ${row.variant} | ${fmt(row.perSecond)} | ${fmt(row.p50)} | ${fmt(row.p99)} | ${fmt(row.cpuPerOp, 2)} | ${fmt(row.peakRss, 0)} | ${vsLimit} | ${vsBaseline} |`,
    );
  }
}
if (soaked) {
  lines.push(
    '',
    `Soak: ${SOAK_SECONDS} s at 1000 endpoints, saturated: RSS ${fmt(soaked.start, 0)} MB after warm-up → ${fmt(soaked.end, 0)} MB at the end (max ${fmt(soaked.max, 0)} MB).`,
  );
}
const table = lines.join('\n');
console.log(table);
// The measured table goes between the markers; the analysis around it is kept.
await writeResults('results', table, 'Results');
