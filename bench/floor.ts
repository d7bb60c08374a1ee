// npm run bench:floor (part of npm run bench): where the floor of a send is. The layers under the
// service, each in a process of its own on the measured core, none of them calling SMN: node:http
// answering the mutation's JSON, graphql-js behind node:http, Apollo Server 5 behind express 5 (the
// service's stack, no plugins); beside them the signed call alone (node:http and got) and the service.
// Alternating rounds (this machine changes speed under a run); the median of each ratio is reported.
// Writes the "floor" section of bench/RESULTS.md.
import { json, startChild, type Child } from '../scripts/lib/child-process.js';
import { numbers } from './lib/limit.js';
import { load, measureLimit } from './lib/measure.js';
import { CORES, onMeasuredCore, treeCpuMs } from './lib/placement.js';
import { writeResults } from './lib/results.js';
import { PUBLISH_QUERY, startService, startSimulator } from './lib/servers.js';

const SIZES = (process.env.BENCH_SIZES ?? '1,100,1000').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_FLOOR_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const CONNECTIONS = 8;
const FLOORS = {
  http: 'node:http answering the same JSON (no GraphQL)',
  graphql: 'graphql-js behind node:http (parsed every time)',
  apollo: 'Apollo Server 5 behind express 5 (no plugins)',
  'apollo-jit': "the same, compiled execution (the service's executor)",
} as const;
type Variant = 'limit (node:http)' | 'limit (got)' | keyof typeof FLOORS | 'smn-gateway';
const VARIANTS: readonly Variant[] = [
  'limit (node:http)',
  'limit (got)',
  'http',
  'graphql',
  'apollo',
  'apollo-jit',
  'smn-gateway',
];

/** CPU ms per operation of `server` saturated by CONNECTIONS connections (after 2 s of warm-up). */
async function cpuPerOp(server: Child<string>, size: number): Promise<number> {
  const body = JSON.stringify({
    query: PUBLISH_QUERY,
    variables: { input: { endpoints: numbers(size), smsTemplateId: 'tpl_bench' } },
  });
  const job = { url: server.value, body, connections: CONNECTIONS };
  await load([{ ...job, seconds: 2 }]);
  const before = treeCpuMs(server.pid);
  const [saturated] = await load([{ ...job, seconds: SECONDS }]);
  if (!saturated || saturated.non2xx > 0 || saturated.errors > 0)
    throw new Error(`failed: ${JSON.stringify(saturated)}`);
  return (treeCpuMs(server.pid) - before) / saturated.requests;
}

const simulator = await startSimulator();
/** CPU ms per operation, by size, variant, then round. */
const measured = new Map<string, number[]>();
const record = (size: number, variant: Variant, value: number) => {
  const key = `${size} ${variant}`;
  measured.set(key, [...(measured.get(key) ?? []), value]);
};
try {
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const size of SIZES) {
      for (const variant of VARIANTS) {
        if (variant === 'limit (node:http)' || variant === 'limit (got)') {
          const spec = { size, loops: CONNECTIONS, seconds: SECONDS, rate: 20 };
          const row = await measureLimit(simulator.target, variant === 'limit (got)' ? 'got' : 'http', spec);
          record(size, variant, row.cpuPerOp);
          continue;
        }
        const server =
          variant === 'smn-gateway'
            ? await startService(simulator.target)
            : await startChild(
                ['--import', 'tsx', 'bench/floor-server.ts', variant],
                { NODE_ENV: 'production' },
                (line) => json(line)?.floor as string | undefined,
                onMeasuredCore(),
              );
        try {
          record(size, variant, await cpuPerOp(server, size));
        } finally {
          await server.stop();
        }
      }
      console.error(`round ${round + 1}/${ROUNDS}: measured ${size} numbers`);
    }
  }
} finally {
  await simulator.stop();
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
};
/** Per round, this variant over the node:http limit of the same round; the lower median of those. */
const ratio = (size: number, variant: Variant) => {
  const limit = measured.get(`${size} limit (node:http)`)!;
  return median(measured.get(`${size} ${variant}`)!.map((value, round) => value / limit[round]!));
};
const label = (variant: Variant) => (variant in FLOORS ? FLOORS[variant as keyof typeof FLOORS] : variant);
const lines = [
  `Machine: ${CORES.count} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}; ${ROUNDS} alternating rounds, ${CONNECTIONS} connections for ${SECONDS} s each, each measured party alone on the measured core (the load generator and the simulator on the others).`,
  'The mutation is the service\'s own (`PUBLISH_QUERY`, the same variables); the floors answer it with every number "sent", calling nobody. CPU ms per operation is the median of the rounds; "x limit" is the median of each round\'s ratio to that round\'s node:http limit.',
  '',
  `| layer | ${SIZES.map((size) => `${size}: CPU ms/op | ${size}: x limit`).join(' | ')} |`,
  `| --- | ${SIZES.map(() => '---: | ---:').join(' | ')} |`,
  ...VARIANTS.map(
    (variant) =>
      `| ${label(variant)} | ${SIZES.map((size) => `${median(measured.get(`${size} ${variant}`)!).toFixed(3)} | ${ratio(size, variant).toFixed(2)}`).join(' | ')} |`,
  ),
];
const table = lines.join('\n');
console.log(table);
await writeResults('floor', table, 'Where the floor is: the layers under a send, no SMN call');
