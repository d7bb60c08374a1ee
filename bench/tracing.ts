// Part of `npm run bench`: what tracing costs. The shipped build sends 100-number batches to the SMN
// simulator, saturated for a few seconds, with tracing off (no endpoint) and on (every trace sampled,
// OTLP/HTTP protobuf to a local receiver that accepts and drops). Writes its table into bench/RESULTS.md.
import { createServer } from 'node:http';
import autocannon from 'autocannon';
import { closeServer, listen } from '../src/util/listen.js';
import { numbers } from './lib/limit.js';
import { cpuMs, memoryMb } from './lib/proc.js';
import { writeResults } from './lib/results.js';
import { PUBLISH_QUERY, startService, startSimulator } from './lib/servers.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const SIZE = 100;

let spansReceived = 0;
const collector = createServer((req, res) => {
  req.on('data', (chunk: Buffer) => (spansReceived += chunk.length));
  req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end());
});
const collectorUrl = await listen(collector, 0, '127.0.0.1');
const simulator = await startSimulator();

async function measure(variant: string, env: Record<string, string>) {
  const service = await startService(simulator.target, [], env);
  const options = {
    url: `${service.value}/graphql`,
    method: 'POST' as const,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: PUBLISH_QUERY,
      variables: { input: { endpoints: numbers(SIZE), smsTemplateId: 'tpl_bench' } },
    }),
    connections: 10,
  };
  await autocannon({ ...options, duration: 2 });
  const before = cpuMs(service.pid);
  const result = await autocannon({ ...options, duration: SECONDS });
  const cpu = cpuMs(service.pid) - before;
  const peak = memoryMb(service.pid).peak;
  await service.stop();
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${variant}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    variant,
    perSecond: result.requests.total / SECONDS,
    p50: result.latency.p50,
    cpuPerOp: cpu / result.requests.total,
    peak,
  };
}

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
type Row = Awaited<ReturnType<typeof measure>>;
const median = (rows: Row[], key: 'perSecond' | 'p50' | 'cpuPerOp' | 'peak') =>
  rows.map((row) => row[key]).sort((a, b) => a - b)[Math.floor(rows.length / 2)]!;
const summary = (variant: string, rows: Row[]) => ({
  variant,
  perSecond: median(rows, 'perSecond'),
  p50: median(rows, 'p50'),
  cpuPerOp: median(rows, 'cpuPerOp'),
  peak: median(rows, 'peak'),
});

try {
  // Alternating rounds, medians: this machine's noise is larger than the effect measured.
  const offRuns: Row[] = [];
  const onRuns: Row[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await fetch(`${simulator.target.url}/_simulator/requests`, { method: 'DELETE' });
    offRuns.push(await measure('off', {}));
    await fetch(`${simulator.target.url}/_simulator/requests`, { method: 'DELETE' });
    onRuns.push(await measure('on', { OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl, OTEL_TRACES_SAMPLER: 'always_on' }));
  }
  const off = summary('tracing off (no endpoint)', offRuns);
  const on = summary('tracing on (always_on, OTLP/HTTP protobuf)', onRuns);
  const rows = [off, on].map(
    (row) =>
      `| ${row.variant} | ${row.perSecond.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.cpuPerOp.toFixed(2)} | ${row.peak.toFixed(0)} |`,
  );
  const table = [
    `publishPromotionSms with ${SIZE} numbers, 10 connections, ${SECONDS} s saturated, shipped build; medians of ${ROUNDS} alternating rounds; spans exported: ${spansReceived > 0 ? 'yes' : 'no'}.`,
    '',
    '| variant | ops/s | p50 ms | CPU ms/op | peak RSS MB |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
    `CPU per send with tracing on, every trace sampled: ${(((on.cpuPerOp - off.cpuPerOp) / off.cpuPerOp) * 100).toFixed(0)}% against off.`,
  ].join('\n');
  console.log(table);
  await writeResults('tracing', table, 'Tracing');
} finally {
  await simulator.stop();
  await closeServer(collector);
}
