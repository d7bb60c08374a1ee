// npm run bench: this service against the limit (the signed REST call alone) and a plain graphql-js
// baseline, same machine, same SMN simulator in its own process; then what each capability costs,
// the service under a small-pod heap, and a soak. Writes bench/RESULTS.md.
import { cpus } from 'node:os';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import { atRate, limitClient, numbers, saturate, promotionSend, type SmnTarget } from './lib/limit.js';
import { json, startChild, type Child } from '../scripts/lib/child-process.js';
import { cpuMs, memoryMb } from './lib/proc.js';
import { writeResults } from './lib/results.js';
import { PUBLISH_QUERY, START_FLAGS, smnEnv, startService, startSimulator } from './lib/servers.js';
import { historyOutboxKeys } from '../src/state/redis-history-outbox.js';
import { createTestDatabase } from '../test/helpers/postgres.js';

const SIZES = (process.env.BENCH_SIZES ?? '1,100,1000').split(',').map(Number);
const CONNECTIONS = 8;
const SATURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const RATE = 20; // operations per second for the latency measurement: moderate for every variant
const SOAK_SECONDS = Number(process.env.BENCH_SOAK_SECONDS ?? 600);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** BENCH_ONLY=history: only the history rows (Redis state with and without the history), into their own section. */
const ONLY = process.env.BENCH_ONLY;
/** Alternating rounds of the history rows (this shared machine varies between identical runs). */
const HISTORY_ROUNDS = Number(process.env.BENCH_HISTORY_ROUNDS ?? 2);
/** BENCH_HISTORY_MODES=off,separate: only those history rows (a focused A/B; all three by default). */
const HISTORY_MODES = process.env.BENCH_HISTORY_MODES?.split(',');
/** BENCH_HISTORY_PROFILE=<dir>: the measured service runs with --cpu-prof into that directory. */
const HISTORY_PROFILE = process.env.BENCH_HISTORY_PROFILE;
/**
 * BENCH_HISTORY_PAUSE_WRITER=true: the second service (the writer) is stopped (SIGSTOP) while the measured
 * service is saturated and resumed after, so it drains the outbox then: the send path measured without a
 * writer and PostgreSQL on the same two cores, as on a replica whose writer runs elsewhere.
 */
const PAUSE_WRITER = process.env.BENCH_HISTORY_PAUSE_WRITER === 'true';
/** The issue's target: the send path's CPU with the history at most this much above without. */
const HISTORY_CPU_TARGET = 1.1;
/** The issue's targets: CPU per operation at most this many times the limit's, per batch size. */
const CPU_TARGET: Record<number, number> = { 1: 6, 100: 4, 1000: 3 };
/** A small pod's heap: V8 capped as a 256 MiB container would cap it (docs/operations.md). */
const SMALL_POD_FLAGS = ['--max-old-space-size=96', '--max-semi-space-size=8'];

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
  cpuPerOp: number;
  peakRss?: number;
  startRss?: number;
}

const post = (server: Child<string>, payload: string) => ({
  url: server.value,
  method: 'POST' as const,
  headers: { 'content-type': 'application/json' },
  body: payload,
});

/** RSS one second after the service said it listens: what it holds before any work. */
async function rssAfterStart(server: Child<string>): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return memoryMb(server.pid).rss;
}

async function measureServer(variant: string, server: Child<string>, size: number, latency = true): Promise<Row> {
  const options = post(server, body(size));
  // Warm up, then saturate while watching the server's CPU.
  await autocannon({ ...options, connections: CONNECTIONS, duration: 2 });
  const cpuBefore = cpuMs(server.pid);
  const saturated = await autocannon({ ...options, connections: CONNECTIONS, duration: SATURATION_SECONDS });
  const cpuUsed = cpuMs(server.pid) - cpuBefore;
  if (saturated.non2xx > 0 || saturated.errors > 0)
    throw new Error(`${variant}: ${saturated.non2xx} non-2xx, ${saturated.errors} errors`);
  const paced = latency
    ? await autocannon({ ...options, connections: CONNECTIONS, duration: 10, overallRate: RATE })
    : undefined;
  return {
    variant,
    size,
    perSecond: saturated.requests.total / SATURATION_SECONDS,
    p50: paced?.latency.p50 ?? Number.NaN,
    p99: paced?.latency.p99 ?? Number.NaN,
    cpuPerOp: cpuUsed / saturated.requests.total,
    peakRss: memoryMb(server.pid).peak,
  };
}

async function measureLimit(target: SmnTarget, size: number): Promise<Row> {
  const client = limitClient(target);
  const request = promotionSend(size);
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

/** The service as shipped, at `size`, with `env` (a capability switched on) and extra node flags. */
async function measureService(
  target: SmnTarget,
  variant: string,
  size: number,
  env: Record<string, string> = {},
  flags: string[] = [],
  prepare?: (url: string) => Promise<void>,
): Promise<Row> {
  const service = await startService(target, flags, env);
  try {
    const startRss = await rssAfterStart(service);
    await prepare?.(`${service.value}/graphql`);
    return { ...(await measureServer(variant, service, size, prepare === undefined)), startRss };
  } finally {
    await service.stop();
  }
}

/** 10,000 numbers on the opt-out list, 10 of them in every benchmark batch (held back each send). */
async function optOuts(url: string): Promise<void> {
  const listed = [
    ...numbers(10),
    ...Array.from({ length: 9_990 }, (_, index) => `+8613700${String(index).padStart(6, '0')}`),
  ];
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($input: OptOutsInput!) { addOptOuts(input: $input) { changed } }',
      variables: { input: { endpoints: listed } },
    }),
  });
  const answer = (await response.json()) as { data?: { addOptOuts: { changed: number } } };
  if (answer.data?.addOptOuts.changed !== listed.length) throw new Error(`addOptOuts: ${JSON.stringify(answer)}`);
}

interface Minute {
  minute: number;
  perSecond: number;
  p50: number;
  p99: number;
  rss: number;
}

/** Saturated at 1000 numbers for SOAK_SECONDS, a minute at a time: throughput, latency and RSS per minute. */
async function soak(target: SmnTarget): Promise<Minute[]> {
  const service = await startService(target);
  const minutes: Minute[] = [];
  try {
    const options = post(service, body(1000));
    for (let minute = 1; minute * 60 <= SOAK_SECONDS; minute += 1) {
      const result = await autocannon({ ...options, connections: CONNECTIONS, duration: 60 });
      minutes.push({
        minute,
        perSecond: result.requests.total / 60,
        p50: result.latency.p50,
        p99: result.latency.p99,
        rss: memoryMb(service.pid).rss,
      });
      console.error(`soak minute ${minute}: ${JSON.stringify(minutes.at(-1))}`);
    }
    return minutes;
  } finally {
    await service.stop();
  }
}

type HistoryMode = 'off' | 'in-process' | 'separate';

interface HistoryRow {
  variant: string;
  mode: HistoryMode;
  round: number;
  perSecond: number;
  /** The measured service's CPU per send, from saturation start until its sends were in PostgreSQL. */
  cpuPerOp: number;
  /** The separate writer process's CPU per send, same span. */
  writerCpuPerOp?: number;
  /** Seconds after saturation until the outbox was empty. */
  drainSeconds?: number;
  peakRss?: number;
}

const HISTORY_VARIANTS: ReadonlyArray<[HistoryMode, string]> = [
  ['off', 'Redis (opt-outs, send log, quotas), no history'],
  ['in-process', 'Redis + history (PostgreSQL), writer in the service (HISTORY_WRITER=true, the default)'],
  ['separate', 'Redis + history (PostgreSQL), HISTORY_WRITER=false; writer in a second service'],
];

/**
 * The send path with Redis state, without and with the history, at 1000 numbers (10 of them opted out):
 * saturated for SATURATION_SECONDS, the service's CPU counted from the start of saturation until every
 * send of it was written to PostgreSQL (the outbox stream empty), so a writer in the service is charged
 * for the rows of the sends measured, even when it catches up after them. With HISTORY_WRITER=false the
 * writer is a second service (same Redis prefix and database, no traffic), its CPU reported apart.
 * PostgreSQL's own CPU is in neither.
 */
async function measureHistoryVariant(target: SmnTarget, mode: HistoryMode, variant: string, round: number) {
  const prefix = `bench-history-${Date.now()}-${mode}:`;
  const database = mode === 'off' ? undefined : await createTestDatabase();
  // The send log's keys expire soon after the run (the default keeps ~1,000,000 keys per row for 3 days).
  const env: Record<string, string> = { REDIS_URL, REDIS_KEY_PREFIX: prefix, SEND_LOG_TTL_SECONDS: '300' };
  if (database) {
    env.HISTORY_DATABASE_URL = database.url;
    env.HISTORY_ERASURE_KEY = 'bench-history-erasure-key-0123456789abcdef';
  }
  const redis = new Redis(REDIS_URL);
  const stream = historyOutboxKeys(prefix).stream;
  const drained = async () => {
    if (!database) return;
    const deadline = performance.now() + 300_000;
    while ((await redis.xlen(stream)) > 0) {
      if (performance.now() > deadline) throw new Error(`${variant}: the history outbox did not drain in 300 s`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const flags = HISTORY_PROFILE
    ? ['--cpu-prof', `--cpu-prof-dir=${HISTORY_PROFILE}`, `--cpu-prof-name=${mode}-${round}.cpuprofile`]
    : [];
  const service = await startService(target, flags, mode === 'separate' ? { ...env, HISTORY_WRITER: 'false' } : env);
  const writer = mode === 'separate' ? await startService(target, [], env) : undefined;
  try {
    await rssAfterStart(service);
    await optOuts(`${service.value}/graphql`);
    const options = post(service, body(1000));
    await autocannon({ ...options, connections: CONNECTIONS, duration: 2 });
    await drained();
    const cpuBefore = cpuMs(service.pid);
    const writerBefore = writer ? cpuMs(writer.pid) : 0;
    if (writer && PAUSE_WRITER) process.kill(writer.pid, 'SIGSTOP');
    let saturated: autocannon.Result;
    try {
      saturated = await autocannon({ ...options, connections: CONNECTIONS, duration: SATURATION_SECONDS });
    } finally {
      if (writer && PAUSE_WRITER) process.kill(writer.pid, 'SIGCONT');
    }
    if (saturated.non2xx > 0 || saturated.errors > 0)
      throw new Error(`${variant}: ${saturated.non2xx} non-2xx, ${saturated.errors} errors`);
    const ended = performance.now();
    await drained();
    const drainSeconds = (performance.now() - ended) / 1000;
    const operations = saturated.requests.total;
    const row: HistoryRow = {
      variant,
      mode,
      round,
      perSecond: operations / SATURATION_SECONDS,
      cpuPerOp: (cpuMs(service.pid) - cpuBefore) / operations,
      peakRss: memoryMb(service.pid).peak,
    };
    if (database) row.drainSeconds = drainSeconds;
    if (writer) row.writerCpuPerOp = (cpuMs(writer.pid) - writerBefore) / operations;
    return row;
  } finally {
    await writer?.stop();
    await service.stop();
    await redis.del(stream, historyOutboxKeys(prefix).dropped);
    redis.disconnect();
    await database?.drop();
  }
}

async function historyRows(target: SmnTarget): Promise<HistoryRow[]> {
  const measured: HistoryRow[] = [];
  for (let round = 1; round <= HISTORY_ROUNDS; round += 1) {
    for (const [mode, variant] of HISTORY_VARIANTS) {
      if (HISTORY_MODES && !HISTORY_MODES.includes(mode)) continue;
      measured.push(await measureHistoryVariant(target, mode, variant, round));
      console.error(`history round ${round}: ${JSON.stringify(measured.at(-1))}`);
    }
  }
  return measured;
}

function historyTable(measured: HistoryRow[]): string {
  const lines = [
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; ` +
      `1000 numbers per send (10 opted out), Redis state, ${CONNECTIONS} connections for ${SATURATION_SECONDS} s, ` +
      `${HISTORY_ROUNDS} alternating rounds, each row a fresh service (and a fresh database).`,
    "CPU per send is the measured service process's from the start of saturation until the history outbox was empty",
    '(every row of those sends committed), so an in-process writer is charged for the rows of the sends measured.',
    "PostgreSQL's own CPU is in no column. All processes share the same 2 cores.",
    '',
    '| round | service | ops/s | CPU ms/op (service) | vs no history | writer process CPU ms/op | service + writer vs no history | outbox empty after | peak RSS MB |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const row of measured) {
    const off = measured.find((other) => other.round === row.round && other.mode === 'off')!;
    const total = row.cpuPerOp + (row.writerCpuPerOp ?? 0);
    lines.push(
      `| ${row.round} | ${row.variant} | ${fmt(row.perSecond)} | ${fmt(row.cpuPerOp, 2)} | ${(row.cpuPerOp / off.cpuPerOp).toFixed(2)}x | ` +
        `${fmt(row.writerCpuPerOp, 2)} | ${row.mode === 'off' ? '—' : `${(total / off.cpuPerOp).toFixed(2)}x`} | ` +
        `${row.drainSeconds === undefined ? '—' : `${row.drainSeconds.toFixed(1)} s`} | ${fmt(row.peakRss, 0)} |`,
    );
  }
  const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
  const ratio = (mode: HistoryMode) => {
    const ratios = measured
      .filter((row) => row.mode === mode)
      .map((row) => row.cpuPerOp / measured.find((o) => o.round === row.round && o.mode === 'off')!.cpuPerOp)
      .sort((a, b) => a - b);
    return ratios[Math.floor((ratios.length - 1) / 2)]!;
  };
  const target = (mode: HistoryMode, where: string) => {
    if (!measured.some((row) => row.mode === mode)) return [];
    const measuredRatio = ratio(mode);
    return [
      `| send-path CPU with history ≤ +${Math.round((HISTORY_CPU_TARGET - 1) * 100)}%, ${where} | ${measuredRatio.toFixed(2)}x | ${verdict(measuredRatio <= HISTORY_CPU_TARGET)} |`,
    ];
  };
  lines.push(
    '',
    '| target | measured (lower median of the rounds) | verdict |',
    '| --- | --- | --- |',
    ...target('in-process', 'writer in the service'),
    ...target('separate', 'HISTORY_WRITER=false (writer elsewhere)'),
  );
  return lines.join('\n');
}

const fmt = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? '—' : value.toFixed(digits);

if (ONLY === 'history') {
  const simulator = await startSimulator();
  try {
    const table = historyTable(await historyRows(simulator.target));
    console.log(table);
    // A focused run (some modes only) is printed, not written over the full table.
    if (!HISTORY_MODES) await writeResults('history-send', table, 'History');
  } finally {
    await simulator.stop();
  }
  process.exit(0);
}

const simulator = await startSimulator();
const { target } = simulator;
const rows: Row[] = [];
const capabilities: Row[] = [];
let soaked: Minute[] = [];
let history: HistoryRow[] = [];
try {
  for (const size of SIZES) {
    rows.push(await measureLimit(target, size));
    const baseline = await startBaseline(target);
    rows.push(await measureServer('baseline', baseline, size));
    await baseline.stop();
    rows.push(await measureService(target, 'smn-gateway', size));
    console.error(`measured ${size} endpoints`);
  }
  if (SIZES.includes(1000)) {
    const capability = (variant: string, env: Record<string, string>, flags: string[] = [], prepare = optOuts) =>
      measureService(target, variant, 1000, env, flags, prepare).then((row) => void capabilities.push(row));
    await capability('as shipped (memory state, SMN events off)', {}, [], async () => undefined);
    await capability('+ 10,000 opt-outs in memory (10 per batch held back)', {});
    await capability('+ opt-outs, send log, quotas on Redis', {
      REDIS_URL,
      REDIS_KEY_PREFIX: `bench-${Date.now()}:`,
      SEND_LOG_TTL_SECONDS: '300',
    });
    await capability('+ delivery tracking (SMN_EVENTS=poll every second)', {
      SMN_EVENTS: 'poll',
      SMN_REPORT_POLL_SECONDS: '1',
    });
    await capability(`small pod heap (${SMALL_POD_FLAGS.join(' ')})`, {}, SMALL_POD_FLAGS, async () => undefined);
    console.error('measured capabilities');
    history = await historyRows(target);
  }
  if (SOAK_SECONDS >= 60) soaked = await soak(target);
} finally {
  await simulator.stop();
}

const of = (size: number, variant: string) => rows.find((row) => row.size === size && row.variant === variant)!;
const lines = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
  `The service runs as \`npm start\` runs it (\`node ${[...START_FLAGS, 'dist/main.js'].join(' ')}\`, NODE_ENV=production, info logs), quotas and outbound pacing lifted.`,
  `Saturation: ${CONNECTIONS} connections for ${SATURATION_SECONDS} s (autocannon; the limit uses ${CONNECTIONS} loops in this process).`,
  `Latency: ${RATE} operations/s for 10 s. CPU is the server process's (from /proc; the limit's from process.cpuUsage);`,
  'RSS after start is read 1 s after it listens; peak RSS is VmHWM. All processes share the same 2 cores.',
  '',
  '| endpoints | variant | ops/s | p50 ms | p99 ms | CPU ms/op | RSS after start MB | peak RSS MB | ops/s vs limit | CPU vs limit | CPU vs baseline |',
  '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const size of SIZES) {
  const limit = of(size, 'limit');
  const baseline = of(size, 'baseline');
  for (const row of [limit, baseline, of(size, 'smn-gateway')]) {
    lines.push(
      `| ${size} | ${row.variant} | ${fmt(row.perSecond)} | ${fmt(row.p50)} | ${fmt(row.p99)} | ${fmt(row.cpuPerOp, 2)} | ` +
        `${fmt(row.startRss, 0)} | ${fmt(row.peakRss, 0)} | ${(row.perSecond / limit.perSecond).toFixed(2)} | ` +
        `${(row.cpuPerOp / limit.cpuPerOp).toFixed(2)} | ${(row.cpuPerOp / baseline.cpuPerOp).toFixed(2)} |`,
    );
  }
}

const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
lines.push('', '| target | measured | verdict |', '| --- | --- | --- |');
for (const size of SIZES) {
  const ratio = of(size, 'smn-gateway').cpuPerOp / of(size, 'limit').cpuPerOp;
  if (CPU_TARGET[size]) {
    lines.push(
      `| ${size} numbers: CPU ≤ ${CPU_TARGET[size]}x the limit | ${ratio.toFixed(2)}x | ${verdict(ratio <= CPU_TARGET[size])} |`,
    );
  }
}
if (SIZES.includes(1000)) {
  const share = of(1000, 'smn-gateway').perSecond / of(1000, 'limit').perSecond;
  lines.push(
    `| 1000 numbers: throughput ≥ 75% of the limit | ${(100 * share).toFixed(0)}% | ${verdict(share >= 0.75)} |`,
  );
}
const services = rows.filter((row) => row.variant === 'smn-gateway');
const peak = Math.max(...services.map((row) => row.peakRss ?? 0));
const start = Math.max(...services.map((row) => row.startRss ?? 0));
lines.push(`| peak RSS at saturation ≤ 160 MB (as shipped) | ${fmt(peak, 0)} MB | ${verdict(peak <= 160)} |`);
lines.push(`| RSS right after start ≤ 100 MB | ${fmt(start, 0)} MB | ${verdict(start <= 100)} |`);

if (capabilities.length > 0) {
  const shipped = capabilities[0]!;
  lines.push(
    '',
    'What each capability costs, 1000 numbers per send (each row a fresh service; the opt-out rows hold 10 of each batch back, so 990 go to SMN):',
    '',
    '| service | ops/s | CPU ms/op | vs as shipped | RSS after start MB | peak RSS MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  for (const row of capabilities) {
    lines.push(
      `| ${row.variant} | ${fmt(row.perSecond)} | ${fmt(row.cpuPerOp, 2)} | ${(row.cpuPerOp / shipped.cpuPerOp).toFixed(2)}x | ${fmt(row.startRss, 0)} | ${fmt(row.peakRss, 0)} |`,
    );
  }
}
if (soaked.length > 0) {
  lines.push(
    '',
    `Soak: ${soaked.length} minutes saturated at 1000 numbers, one fresh service, a row per minute:`,
    '',
    '| minute | ops/s | p50 ms | p99 ms | RSS MB |',
    '| ---: | ---: | ---: | ---: | ---: |',
    ...soaked.map(
      (minute) =>
        `| ${minute.minute} | ${fmt(minute.perSecond)} | ${fmt(minute.p50)} | ${fmt(minute.p99)} | ${fmt(minute.rss, 0)} |`,
    ),
  );
}
const table = lines.join('\n');
console.log(table);
// The measured tables go between the markers; the analysis around them is kept.
await writeResults('results', table, 'Results');
if (history.length > 0) await writeResults('history-send', historyTable(history), 'History');
