// npm run bench: this service against the limit (the signed call alone, in a process of its own) and a
// plain graphql-js baseline, same machine, same SMN simulator in its own process, the load generator in
// another; then what each capability costs, the event loop under load, the service in a 256 MiB cgroup,
// and a soak. Writes bench/RESULTS.md.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { Redis } from 'ioredis';
import { numbers, type SmnTarget } from './lib/limit.js';
import { json, startChild, type Child } from '../scripts/lib/child-process.js';
import { CORES, coresOf, onFeederCores, onMeasuredCore, treeCpuMs, treeMemoryMb } from './lib/placement.js';
import { load, measureLimit, type LoadResult } from './lib/measure.js';
import { writeResults } from './lib/results.js';
import { PUBLISH_QUERY, START_FLAGS, smnEnv, startService, startSimulator } from './lib/servers.js';
import { startCgroup } from './lib/cgroup.js';
import { sha256Hex } from '../src/graphql/trusted-documents/manifest.js';
import { historyOutboxKeys } from '../src/state/redis-history-outbox.js';
import { createTestDatabase } from '../test/helpers/postgres.js';
import { startCluster } from '../test/helpers/redis-topologies.js';

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
/** Issue 30's targets against the node:http limit: CPU per operation at most this many times its. */
const CPU_TARGET: Record<string, number> = { '1': 8, '1 by id': 5, '100': 4, '1000': 3 };
/** Redis Cluster state: CPU at most this much above standalone Redis. */
const CLUSTER_CPU_TARGET = 1.25;
const MEMORY_TARGETS = { startMb: 120, peakMb: 200 };
/** A small pod: the service in a cgroup with this memory limit, no flags given. */
const POD_LIMIT_MB = 256;

function body(size: number): string {
  return JSON.stringify({
    query: PUBLISH_QUERY,
    variables: { input: { endpoints: numbers(size), smsTemplateId: 'tpl_bench' } },
  });
}

/** The publish mutation by its trusted-document id (listed in the manifest the bench writes). */
const DOCUMENT_ID = `sha256:${sha256Hex(PUBLISH_QUERY)}`;
function bodyById(size: number): string {
  return JSON.stringify({
    documentId: DOCUMENT_ID,
    variables: { input: { endpoints: numbers(size), smsTemplateId: 'tpl_bench' } },
  });
}
async function writeManifest(): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'bench-manifest-')), 'trusted-documents.json');
  await writeFile(
    file,
    JSON.stringify({
      format: 'apollo-persisted-query-manifest',
      version: 1,
      operations: [{ id: sha256Hex(PUBLISH_QUERY), name: 'Publish', type: 'mutation', body: PUBLISH_QUERY }],
    }),
  );
  return file;
}

function startBaseline(target: SmnTarget) {
  return startChild(
    ['--import', 'tsx', 'bench/baseline-server.ts'],
    smnEnv(target),
    (line) => json(line)?.baseline as string | undefined,
    onMeasuredCore(),
  );
}

const job = (server: Child<string>, payload: string) => ({ url: server.value, body: payload });

interface Row {
  variant: string;
  size: string;
  perSecond: number;
  p50: number;
  p99: number;
  cpuPerOp: number;
  peakRss?: number;
  startRss?: number;
  cores?: string;
}

/** RSS one second after the service said it listens: what it holds before any work. */
async function rssAfterStart(server: Child<string>): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1000));
  return treeMemoryMb(server.pid).rss;
}

/** Saturates `server` with `payload` and reads its processes' CPU; then latency at RATE. */
async function measureServer(
  variant: string,
  server: Child<string>,
  size: string,
  payload: string,
  latency = true,
): Promise<Row> {
  const saturating = { ...job(server, payload), connections: CONNECTIONS };
  await load([{ ...saturating, seconds: 2 }]);
  const cpuBefore = treeCpuMs(server.pid);
  const [saturated] = (await load([{ ...saturating, seconds: SATURATION_SECONDS }])) as [LoadResult];
  const cpuUsed = treeCpuMs(server.pid) - cpuBefore;
  if (saturated.non2xx > 0 || saturated.errors > 0)
    throw new Error(`${variant}: ${saturated.non2xx} non-2xx, ${saturated.errors} errors`);
  const [paced] = latency ? await load([{ ...saturating, seconds: 10, rate: RATE }]) : [];
  return {
    variant,
    size,
    perSecond: saturated.requests / SATURATION_SECONDS,
    p50: paced?.p50 ?? Number.NaN,
    p99: paced?.p99 ?? Number.NaN,
    cpuPerOp: cpuUsed / saturated.requests,
    peakRss: treeMemoryMb(server.pid).peak,
    cores: coresOf(server.pid),
  };
}

/** The service as shipped, with `env` (a capability switched on) and extra node flags. */
async function measureService(
  target: SmnTarget | undefined,
  variant: string,
  size: string,
  payload: string,
  env: Record<string, string> = {},
  prepare?: (url: string) => Promise<void>,
): Promise<Row> {
  const service = await startService(target, [], env);
  try {
    const startRss = await rssAfterStart(service);
    await prepare?.(`${service.value}/graphql`);
    return { ...(await measureServer(variant, service, size, payload, prepare === undefined)), startRss };
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

interface EventLoopRow {
  variant: string;
  perSecond: number;
  trivialP50: number;
  trivialP99: number;
}

/** p99 of `{ __typename }` at RATE/s while 8 connections saturate the service at 1000 numbers. */
async function eventLoop(target: SmnTarget | undefined, variant: string): Promise<EventLoopRow> {
  const service = await startService(target);
  try {
    const saturating = { ...job(service, body(1000)), connections: CONNECTIONS };
    await load([{ ...saturating, seconds: 2 }]);
    const [saturated, trivial] = (await load([
      { ...saturating, seconds: 10 },
      { ...job(service, JSON.stringify({ query: '{ __typename }' })), connections: 1, seconds: 10, rate: RATE },
    ])) as [LoadResult, LoadResult];
    return { variant, perSecond: saturated.requests / 10, trivialP50: trivial.p50, trivialP99: trivial.p99 };
  } finally {
    await service.stop();
  }
}

interface PodRow {
  perSecond: number;
  cpuPerOp: number;
  peakMb: number;
  oomKills: number;
  alive: boolean;
  heap: string;
}

/** The service as shipped in a cgroup limited to POD_LIMIT_MB, saturated at 1000 numbers. */
async function inPod(target: SmnTarget): Promise<PodRow | string> {
  const cgroup = await startCgroup(POD_LIMIT_MB);
  if (typeof cgroup === 'string') return cgroup;
  let service: Child<string> | undefined;
  try {
    service = await startService(target, [], {}, [...cgroup.prefix, ...onMeasuredCore()]);
    const row = await measureServer('pod', service, '1000', body(1000), false);
    const heapLine = service.lines.map((line) => json(line)).find((entry) => entry?.msg === 'V8 heap');
    return {
      perSecond: row.perSecond,
      cpuPerOp: row.cpuPerOp,
      peakMb: cgroup.peakMb(),
      oomKills: cgroup.oomKills(),
      alive: service.process.exitCode === null && service.process.signalCode === null,
      heap: heapLine
        ? `${String(heapLine.heapFlags)} (heap limit ${String(heapLine.heapSizeLimitMb)} MB)`
        : 'not reported',
    };
  } finally {
    await service?.stop();
    await cgroup.remove();
  }
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
    const saturating = { ...job(service, body(1000)), connections: CONNECTIONS };
    for (let minute = 1; minute * 60 <= SOAK_SECONDS; minute += 1) {
      const [result] = (await load([{ ...saturating, seconds: 60 }])) as [LoadResult];
      minutes.push({
        minute,
        perSecond: result.requests / 60,
        p50: result.p50,
        p99: result.p99,
        rss: treeMemoryMb(service.pid).rss,
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
  const writer = mode === 'separate' ? await startService(target, [], env, onFeederCores()) : undefined;
  try {
    await rssAfterStart(service);
    await optOuts(`${service.value}/graphql`);
    const saturating = { ...job(service, body(1000)), connections: CONNECTIONS };
    await load([{ ...saturating, seconds: 2 }]);
    await drained();
    const cpuBefore = treeCpuMs(service.pid);
    const writerBefore = writer ? treeCpuMs(writer.pid) : 0;
    if (writer && PAUSE_WRITER) process.kill(writer.pid, 'SIGSTOP');
    let saturated: LoadResult;
    try {
      [saturated] = (await load([{ ...saturating, seconds: SATURATION_SECONDS }])) as [LoadResult];
    } finally {
      if (writer && PAUSE_WRITER) process.kill(writer.pid, 'SIGCONT');
    }
    if (saturated.non2xx > 0 || saturated.errors > 0)
      throw new Error(`${variant}: ${saturated.non2xx} non-2xx, ${saturated.errors} errors`);
    const ended = performance.now();
    await drained();
    const drainSeconds = (performance.now() - ended) / 1000;
    const operations = saturated.requests;
    const row: HistoryRow = {
      variant,
      mode,
      round,
      perSecond: operations / SATURATION_SECONDS,
      cpuPerOp: (treeCpuMs(service.pid) - cpuBefore) / operations,
      peakRss: treeMemoryMb(service.pid).peak,
    };
    if (database) row.drainSeconds = drainSeconds;
    if (writer) row.writerCpuPerOp = (treeCpuMs(writer.pid) - writerBefore) / operations;
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
const manifest = await writeManifest();
const trusted = { TRUSTED_DOCUMENTS: 'allow', TRUSTED_DOCUMENTS_MANIFEST: manifest };
const rows: Row[] = [];
const capabilities: Row[] = [];
const loops: EventLoopRow[] = [];
let pod: PodRow | string | undefined;
let soaked: Minute[] = [];
let history: HistoryRow[] = [];
const sizeKeys = SIZES.flatMap((size) => (size === 1 ? ['1', '1 by id'] : [String(size)]));
try {
  for (const size of SIZES) {
    const limitSpec = { size, loops: CONNECTIONS, seconds: SATURATION_SECONDS, rate: RATE };
    rows.push(await measureLimit(target, 'http', limitSpec));
    rows.push(await measureLimit(target, 'got', limitSpec));
    const baseline = await startBaseline(target);
    rows.push(await measureServer('baseline', baseline, String(size), body(size)));
    await baseline.stop();
    rows.push(await measureService(target, 'smn-gateway', String(size), body(size)));
    if (size === 1) {
      for (const variant of ['limit (node:http)', 'limit (got)', 'baseline'])
        rows.push({ ...rows.find((row) => row.size === '1' && row.variant === variant)!, size: '1 by id' });
      rows.push(await measureService(target, 'smn-gateway', '1 by id', bodyById(1), trusted));
    }
    console.error(`measured ${size} endpoints`);
  }
  if (SIZES.includes(1000)) {
    const capability = (variant: string, env: Record<string, string>, payload = body(1000)) =>
      measureService(target, variant, '1000', payload, env, async () => undefined).then(
        (row) => void capabilities.push(row),
      );
    const keys = () => ({ REDIS_KEY_PREFIX: `bench-${Date.now()}:`, SEND_LOG_TTL_SECONDS: '300' });
    await capability('as shipped (memory state, SMN events off)', {});
    await capability(
      'trusted documents required, sent by id',
      { ...trusted, TRUSTED_DOCUMENTS: 'require' },
      bodyById(1000),
    );
    await capability('Redis state (standalone)', { REDIS_URL, ...keys() });
    const cluster = await startCluster();
    try {
      await capability('Redis state (Cluster, 3 primaries + 3 replicas)', { ...cluster.env, ...keys() });
    } finally {
      await cluster.stop();
    }
    console.error('measured capabilities');
    history = await historyRows(target);
    loops.push(await eventLoop(target, 'SMN simulator in its own process'));
    loops.push(await eventLoop(undefined, 'embedded simulator (SMN_MODE=simulator)'));
    pod = await inPod(target);
    console.error(`measured the event loop and the ${POD_LIMIT_MB} MiB pod`);
  }
  if (SOAK_SECONDS >= 60) soaked = await soak(target);
} finally {
  await simulator.stop();
}

const of = (size: string, variant: string) => rows.find((row) => row.size === size && row.variant === variant)!;
const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');
const lines = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.`,
  `The service runs as \`npm start\` runs it (\`node ${[...START_FLAGS, 'dist/main.js'].join(' ')}\`, NODE_ENV=production, info logs), quotas and outbound pacing lifted.`,
  `Placement: the measured process (the service, the baseline or the limit) on core ${CORES.measured ?? 'any'}; the load generator (autocannon, a process of its own) and the SMN simulator (another) on core(s) ${CORES.feeders ?? 'any'} (\`taskset\`; the cores column is each measured process's Cpus_allowed_list).`,
  `Saturation: ${CONNECTIONS} connections (the limit: ${CONNECTIONS} loops) for ${SATURATION_SECONDS} s. Latency: ${RATE} operations/s for 10 s.`,
  "CPU is the measured processes' only (user + system from /proc, the service with any child it runs); RSS after start 1 s after it listens, peak RSS is VmHWM.",
  'The limit is the cheapest correct call: the project\'s signer and wire body over node:http with a keep-alive agent, the answer read and parsed; "limit (got)" is the service\'s own SMN client, the yardstick of earlier rounds.',
  '',
  '| numbers | variant | cores | ops/s | p50 ms | p99 ms | CPU ms/op | RSS after start MB | peak RSS MB | ops/s vs limit | CPU vs limit | CPU vs limit (got) | CPU vs baseline |',
  '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const size of sizeKeys) {
  const limit = of(size, 'limit (node:http)');
  const viaGot = of(size, 'limit (got)');
  const baseline = of(size, 'baseline');
  for (const row of [limit, viaGot, baseline, of(size, 'smn-gateway')]) {
    if (size === '1 by id' && row.variant !== 'smn-gateway') continue;
    lines.push(
      `| ${size} | ${row.variant} | ${row.cores ?? '?'} | ${fmt(row.perSecond)} | ${fmt(row.p50)} | ${fmt(row.p99)} | ${fmt(row.cpuPerOp, 2)} | ` +
        `${fmt(row.startRss, 0)} | ${fmt(row.peakRss, 0)} | ${(row.perSecond / limit.perSecond).toFixed(2)} | ` +
        `${(row.cpuPerOp / limit.cpuPerOp).toFixed(2)} | ${(row.cpuPerOp / viaGot.cpuPerOp).toFixed(2)} | ${(row.cpuPerOp / baseline.cpuPerOp).toFixed(2)} |`,
    );
  }
}

lines.push('', '| target | measured | verdict |', '| --- | --- | --- |');
for (const size of sizeKeys) {
  const ratio = of(size, 'smn-gateway').cpuPerOp / of(size, 'limit (node:http)').cpuPerOp;
  const limitTarget = CPU_TARGET[size];
  if (limitTarget)
    lines.push(
      `| ${size} numbers: CPU ≤ ${limitTarget}x the limit | ${ratio.toFixed(2)}x | ${verdict(ratio <= limitTarget)} |`,
    );
}
if (SIZES.includes(1000)) {
  const share = of('1000', 'smn-gateway').perSecond / of('1000', 'limit (node:http)').perSecond;
  lines.push(
    `| 1000 numbers: throughput ≥ 75% of the limit | ${(100 * share).toFixed(0)}% | ${verdict(share >= 0.75)} |`,
  );
}
const services = rows.filter((row) => row.variant === 'smn-gateway');
const start = Math.max(...services.map((row) => row.startRss ?? 0));
lines.push(
  `| RSS right after start ≤ ${MEMORY_TARGETS.startMb} MB (as shipped) | ${fmt(start, 0)} MB | ${verdict(start <= MEMORY_TARGETS.startMb)} |`,
);
if (SIZES.includes(1000)) {
  const peak = of('1000', 'smn-gateway').peakRss ?? Number.NaN;
  lines.push(
    `| peak RSS at saturation, 1000 numbers ≤ ${MEMORY_TARGETS.peakMb} MB (as shipped) | ${fmt(peak, 0)} MB | ${verdict(peak <= MEMORY_TARGETS.peakMb)} |`,
  );
}

if (capabilities.length > 0) {
  const cap = (prefix: string) => capabilities.find((row) => row.variant.startsWith(prefix))!;
  const shipped = cap('as shipped');
  lines.push(
    '',
    'What each capability costs, 1000 numbers per send (each row a fresh service):',
    '',
    '| service | ops/s | CPU ms/op | vs as shipped | RSS after start MB | peak RSS MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...capabilities.map(
      (row) =>
        `| ${row.variant} | ${fmt(row.perSecond)} | ${fmt(row.cpuPerOp, 2)} | ${(row.cpuPerOp / shipped.cpuPerOp).toFixed(2)}x | ${fmt(row.startRss, 0)} | ${fmt(row.peakRss, 0)} |`,
    ),
  );
  const clusterRatio = cap('Redis state (Cluster').cpuPerOp / cap('Redis state (standalone)').cpuPerOp;
  lines.push(
    '',
    '| target | measured | verdict |',
    '| --- | --- | --- |',
    `| Cluster state ≤ +${Math.round((CLUSTER_CPU_TARGET - 1) * 100)}% CPU over standalone Redis | ${clusterRatio.toFixed(2)}x | ${verdict(clusterRatio <= CLUSTER_CPU_TARGET)} |`,
    '| history ≤ +10% CPU to a send | see History below | |',
  );
}
if (loops.length > 0) {
  lines.push(
    '',
    `Event loop: \`{ __typename }\` at ${RATE}/s on one connection while ${CONNECTIONS} connections saturate the service at 1000 numbers (10 s, same run):`,
    '',
    '| SMN | publish ops/s | trivial query p50 ms | trivial query p99 ms |',
    '| --- | ---: | ---: | ---: |',
    ...loops.map(
      (row) => `| ${row.variant} | ${fmt(row.perSecond)} | ${fmt(row.trivialP50)} | ${fmt(row.trivialP99)} |`,
    ),
  );
}
if (pod !== undefined) {
  lines.push(
    '',
    `A ${POD_LIMIT_MB} MiB pod: the service as shipped (no flags given) in a cgroup v1 memory cgroup limited to ${POD_LIMIT_MB} MiB, saturated at 1000 numbers:`,
    '',
  );
  if (typeof pod === 'string') lines.push(`Not measured: ${pod}.`);
  else {
    const ratio = pod.cpuPerOp / of('1000', 'limit (node:http)').cpuPerOp;
    lines.push(
      '| heap flags it chose | ops/s | CPU ms/op | CPU vs limit | cgroup peak MB | OOM kills | alive after |',
      '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
      `| ${pod.heap} | ${fmt(pod.perSecond)} | ${fmt(pod.cpuPerOp, 2)} | ${ratio.toFixed(2)}x (${verdict(ratio <= CPU_TARGET['1000']!)}) | ${fmt(pod.peakMb, 0)} | ${pod.oomKills} | ${pod.alive ? 'yes' : '**no**'} |`,
    );
  }
}
if (soaked.length > 0) {
  const rss = soaked.map((minute) => minute.rss);
  const third = Math.max(1, Math.floor(rss.length / 3));
  const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const growth = mean(rss.slice(-third)) / mean(rss.slice(0, third));
  lines.push(
    '',
    `Soak: ${soaked.length} minutes saturated at 1000 numbers, one fresh service, a row per minute; RSS of the last third vs the first: ${growth.toFixed(2)}x (flat: ≤ 1.10x, ${verdict(growth <= 1.1)}).`,
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
