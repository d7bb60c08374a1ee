// Part of `npm run bench` (and `npm run bench:trusted-documents`): what sending a listed document by its
// id saves against sending its full text. The shipped build, started once with TRUSTED_DOCUMENTS=allow
// and a manifest listing the publish mutation, saturated at 1 and 1000 numbers per send with (a) the full
// text (listed), (b) `documentId` only, and (c) for reference a full text that is not listed (the same
// operation, one space more: the ad-hoc path). The variants alternate over BENCH_ROUNDS rounds so this
// machine's noise hits each of them; medians. Writes its table into bench/RESULTS.md.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { sha256Hex } from '../src/graphql/trusted-documents/manifest.js';
import { numbers } from './lib/limit.js';
import { cpuMs, memoryMb } from './lib/proc.js';
import { writeResults } from './lib/results.js';
import { PUBLISH_QUERY, START_FLAGS, startService, startSimulator } from './lib/servers.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** Before round 1, each variant this long unmeasured: a fresh service's JIT warms up on the first load it sees. */
const WARM_UP_SECONDS = 5;
const SIZES = [1, 1000];
const CONNECTIONS = 8;
const DOCUMENT_ID = `sha256:${sha256Hex(PUBLISH_QUERY)}`;
/** The same operation, not on the list (its text hashes differently): parsed, validated and compiled on first use. */
const UNLISTED_QUERY = PUBLISH_QUERY.replace('mutation Publish', 'mutation  Publish');

type Variant = 'text' | 'id' | 'unlisted';
const VARIANTS: ReadonlyArray<[Variant, string]> = [
  ['text', '(a) full text (listed)'],
  ['id', '(b) by documentId'],
  ['unlisted', '(c) full text, not listed (ad hoc)'],
];

function body(variant: Variant, size: number): string {
  const variables = { input: { endpoints: numbers(size), smsTemplateId: 'tpl_bench' } };
  if (variant === 'id') return JSON.stringify({ documentId: DOCUMENT_ID, variables });
  return JSON.stringify({ query: variant === 'text' ? PUBLISH_QUERY : UNLISTED_QUERY, variables });
}

interface Run {
  variant: Variant;
  size: number;
  round: number;
  perSecond: number;
  p50: number;
  cpuPerOp: number;
}

/** The trusted-documents outcomes counted so far (`by_id`, `adhoc`, ...), from the service's /metrics. */
async function outcomes(url: string): Promise<Record<string, number>> {
  const text = await (await fetch(url)).text();
  const counted: Record<string, number> = {};
  for (const match of text.matchAll(/^smn_gateway_trusted_documents_total\{outcome="(\w+)"\} (\d+)/gm)) {
    counted[match[1]!] = Number(match[2]);
  }
  return counted;
}

const manifestDir = await mkdtemp(join(tmpdir(), 'bench-trusted-documents-'));
const manifest = join(manifestDir, 'manifest.json');
await writeFile(
  manifest,
  JSON.stringify({
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [{ id: sha256Hex(PUBLISH_QUERY), name: 'Publish', type: 'mutation', body: PUBLISH_QUERY }],
  }),
);

const simulator = await startSimulator();
const runs: Run[] = [];
const counted: Partial<Record<Variant, Record<string, number>>> = {};
let peakRss = Number.NaN;
try {
  const service = await startService(simulator.target, [], {
    TRUSTED_DOCUMENTS: 'allow',
    TRUSTED_DOCUMENTS_MANIFEST: manifest,
  });
  const url = service.value; // the service's /graphql
  const metricsUrl = new URL('/metrics', url).href;
  try {
    // Each variant answers a send before anything is measured, and is counted as expected.
    for (const [variant] of VARIANTS) {
      const before = await outcomes(metricsUrl);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: body(variant, 1),
      });
      const answer = (await response.json()) as { data?: { publishPromotionSms?: { results: unknown[] } } };
      // One result for the one number (the simulator answers some numbers as failed: still a send).
      if (answer.data?.publishPromotionSms?.results.length !== 1)
        throw new Error(`${variant}: ${JSON.stringify(answer)}`);
      const after = await outcomes(metricsUrl);
      counted[variant] = Object.fromEntries(
        Object.entries(after)
          .map(([outcome, n]) => [outcome, n - (before[outcome] ?? 0)] as const)
          .filter(([, n]) => n > 0),
      );
    }
    const options = (variant: Variant, size: number) => ({
      url,
      method: 'POST' as const,
      headers: { 'content-type': 'application/json' },
      body: body(variant, size),
      connections: CONNECTIONS,
    });
    for (const size of SIZES) {
      for (const [variant] of VARIANTS) await autocannon({ ...options(variant, size), duration: WARM_UP_SECONDS });
    }
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const size of SIZES) {
        // Alternate the order too, so neither variant always follows the other.
        const order = round % 2 === 1 ? VARIANTS : [...VARIANTS].reverse();
        for (const [variant] of order) {
          await autocannon({ ...options(variant, size), duration: 2 });
          const before = cpuMs(service.pid);
          const result = await autocannon({ ...options(variant, size), duration: SECONDS });
          const cpu = cpuMs(service.pid) - before;
          if (result.non2xx > 0 || result.errors > 0)
            throw new Error(`${variant} at ${size}: ${result.non2xx} non-2xx, ${result.errors} errors`);
          runs.push({
            variant,
            size,
            round,
            perSecond: result.requests.total / SECONDS,
            p50: result.latency.p50,
            cpuPerOp: cpu / result.requests.total,
          });
          console.error(`round ${round}: ${JSON.stringify(runs.at(-1))}`);
        }
      }
    }
    peakRss = memoryMb(service.pid).peak;
  } finally {
    await service.stop();
  }
} finally {
  await simulator.stop();
  await rm(manifestDir, { recursive: true, force: true });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  return Number.isInteger(middle) ? (sorted[middle - 1]! + sorted[middle]!) / 2 : sorted[Math.floor(middle)]!;
};
const of = (variant: Variant, size: number) => runs.filter((run) => run.variant === variant && run.size === size);
const summary = (variant: Variant, size: number) => ({
  perSecond: median(of(variant, size).map((run) => run.perSecond)),
  p50: median(of(variant, size).map((run) => run.p50)),
  cpuPerOp: median(of(variant, size).map((run) => run.cpuPerOp)),
});
const kb = (text: string) =>
  Buffer.byteLength(text) >= 10_000
    ? `${(Buffer.byteLength(text) / 1024).toFixed(1)} KiB`
    : `${Buffer.byteLength(text)} B`;
const shown = (counts: Record<string, number> | undefined) =>
  Object.entries(counts ?? {})
    .map(([outcome, n]) => `${outcome} ${n}`)
    .join(', ') || '—';

const lines = [
  `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. ` +
    `One service (\`node ${[...START_FLAGS, 'dist/main.js'].join(' ')}\`, NODE_ENV=production, TRUSTED_DOCUMENTS=allow, a manifest listing the publish mutation), ` +
    `quotas and outbound pacing lifted; ${CONNECTIONS} connections for ${SECONDS} s per row (2 s warm-up; ${WARM_UP_SECONDS} s per variant and size before round 1), ` +
    `${ROUNDS} rounds alternating the variants (order reversed each round); medians (an even count: the mean of the middle two). CPU is the service process's (from /proc).`,
  '',
  '| numbers | variant | request body | ops/s | p50 ms | CPU ms/op | ops/s vs (a) | CPU vs (a) | counted as (one send) |',
  '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
];
for (const size of SIZES) {
  const text = summary('text', size);
  for (const [variant, label] of VARIANTS) {
    const row = summary(variant, size);
    lines.push(
      `| ${size} | ${label} | ${kb(body(variant, size))} | ${row.perSecond.toFixed(1)} | ${row.p50.toFixed(1)} | ${row.cpuPerOp.toFixed(3)} | ` +
        `${(row.perSecond / text.perSecond).toFixed(2)} | ${(row.cpuPerOp / text.cpuPerOp).toFixed(2)} | ${shown(counted[variant])} |`,
    );
  }
}
lines.push(
  '',
  '| numbers | round | (a) full text ops/s | (b) by id ops/s | by id / full text, ops/s | (a) CPU ms/op | (b) CPU ms/op | by id / full text, CPU |',
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
);
for (const size of SIZES) {
  for (let round = 1; round <= ROUNDS; round += 1) {
    const text = runs.find((run) => run.variant === 'text' && run.size === size && run.round === round)!;
    const id = runs.find((run) => run.variant === 'id' && run.size === size && run.round === round)!;
    lines.push(
      `| ${size} | ${round} | ${text.perSecond.toFixed(1)} | ${id.perSecond.toFixed(1)} | ${(id.perSecond / text.perSecond).toFixed(2)} | ` +
        `${text.cpuPerOp.toFixed(3)} | ${id.cpuPerOp.toFixed(3)} | ${(id.cpuPerOp / text.cpuPerOp).toFixed(2)} |`,
    );
  }
}
lines.push('', `Peak RSS of the service over the run: ${peakRss.toFixed(0)} MB.`);
const table = lines.join('\n');
console.log(table);
await writeResults('trusted-documents', table, 'Trusted documents: by id versus full text');
