// Part of `npm run bench`: how long a trivial query waits while the embedded SMN simulator delivers a
// 1000-number send's reports. The shipped build (dist/main.js, `npm start`'s flags) with no SMN
// credentials, so the simulator runs inside the service and posts its signed reports to the service's
// own POST /smn/events. One client sends `{ __typename }` every 10 ms (open loop) from the send
// until every report is applied (smn_gateway_smn_events_total{outcome="report_updated"}); p50/p99/max
// of those queries, per round and over all rounds. Writes its table into bench/RESULTS.md between the
// simulator-stall markers.
import { loadavg } from 'node:os';
import { writeResults } from './lib/results.js';
import { START_FLAGS, PUBLISH_QUERY } from './lib/servers.js';
import { listeningUrl, startChild } from '../scripts/lib/child-process.js';
import { SIMULATOR_ENDINGS } from '../src/simulator/numbers.js';

const ROUNDS = Number(process.env.BENCH_STALL_ROUNDS ?? 5);
const NUMBERS = 1000;
const REPORT_DELAY_MS = 1000;
const ROUND_TIMEOUT_MS = 60_000;
const QUERY_EVERY_MS = 10;

const numbers = (round: number) =>
  Array.from({ length: NUMBERS }, (_, index) => `+86138${String(round * NUMBERS + index).padStart(8, '0')}`);
/** The reports a round's numbers get: none for numbers SMN refuses (0000, 0057) or never reports (0003). */
const unreported = [
  SIMULATOR_ENDINGS.noSuchNumber,
  SIMULATOR_ENDINGS.frequencyLimited,
  SIMULATOR_ENDINGS.neverReported,
];
const expectedReports = (round: number) =>
  numbers(round).filter((number) => !unreported.some((ending) => number.endsWith(ending))).length;

async function reportsApplied(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^smn_gateway_smn_events_total\{outcome="report_updated"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;

const service = await startChild(
  [...START_FLAGS, 'dist/main.js'],
  {
    NODE_ENV: 'production',
    PORT: '0',
    HOST: '127.0.0.1',
    AUTH_DISABLED: 'true',
    SEND_WINDOW: 'off',
    QUOTA_RECIPIENTS_PER_MINUTE: '0',
    QUOTA_RECIPIENTS_PER_DAY: '0',
    SMN_MODE: 'simulator',
    SIMULATOR_REPORT_DELAY_MS: String(REPORT_DELAY_MS),
  },
  listeningUrl,
);
const graphqlUrl = service.value;
const base = new URL(graphqlUrl).origin;
const trivial = async () => {
  const started = performance.now();
  const response = await fetch(graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"query":"{ __typename }"}',
  });
  await response.text();
  return performance.now() - started;
};

const rows: string[] = [];
const all: number[] = [];
const loadBefore = loadavg()[0]!;
try {
  for (let i = 0; i < 20; i += 1) await trivial(); // warm-up
  // Round 0 warms the send and the events path up (JIT); it is not measured.
  for (let round = 0; round <= ROUNDS; round += 1) {
    const before = await reportsApplied(base);
    const latencies: number[] = [];
    const expected = expectedReports(round);
    const started = performance.now();
    const send = fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: PUBLISH_QUERY,
        variables: { input: { endpoints: numbers(round), smsTemplateId: 'tpl_bench' } },
      }),
    }).then((response) => response.json() as Promise<{ data?: { publishPromotionSms: { sentCount: number } } }>);
    let sent = 0;
    void send.then((body) => (sent = body.data?.publishPromotionSms.sentCount ?? -1));
    let applied = 0;
    // Open loop: a query every QUERY_EVERY_MS whether or not the last one came back, so a stall counts
    // once for every query that waited in it (a closed loop would sample it once).
    const inFlight = new Set<Promise<void>>();
    const ticker = setInterval(() => {
      const query: Promise<void> = trivial().then((ms) => void latencies.push(ms));
      inFlight.add(query);
      void query.finally(() => inFlight.delete(query));
    }, QUERY_EVERY_MS);
    while (performance.now() - started < ROUND_TIMEOUT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      applied = (await reportsApplied(base)) - before;
      if (applied >= expected) break;
    }
    clearInterval(ticker);
    await Promise.all(inFlight);
    const seconds = (performance.now() - started) / 1000;
    const sorted = latencies.toSorted((a, b) => a - b);
    if (round === 0) continue;
    all.push(...latencies);
    rows.push(
      `| ${round} | ${sent} | ${applied} | ${seconds.toFixed(1)} | ${latencies.length} | ` +
        `${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ${sorted.at(-1)!.toFixed(1)} |`,
    );
    console.log(rows.at(-1));
  }
} finally {
  await service.stop();
}
const sorted = all.toSorted((a, b) => a - b);
const table = [
  `Measured ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, load average ${loadBefore.toFixed(2)} ` +
    `at the start (1 min), ${loadavg()[0]!.toFixed(2)} at the end; report delay ${REPORT_DELAY_MS} ms.`,
  '',
  '| round | sent | reports applied | seconds | queries | p50 ms | p99 ms | max ms |',
  '| ----- | ---- | --------------- | ------- | ------- | ------ | ------ | ------ |',
  ...rows,
  `| all | | | | ${sorted.length} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ` +
    `${sorted.at(-1)!.toFixed(1)} |`,
].join('\n');
console.log(table);
await writeResults('simulator-stall', table, 'A trivial query during a 1000-number send (embedded simulator)');
