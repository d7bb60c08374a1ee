// npm run bench:profile — CPU profile of the service under saturation at 1000 endpoints, then the top
// frames by self time. The .cpuprofile lands in bench/profiles/ (open it in Chrome DevTools).
import { mkdir, readdir, readFile } from 'node:fs/promises';
import autocannon from 'autocannon';
import { numbers } from './lib/limit.js';
import { PUBLISH_QUERY, startService, startSimulator } from './lib/servers.js';

const SIZE = Number(process.env.BENCH_SIZE ?? 1000);
const dir = new URL('profiles/', import.meta.url);
await mkdir(dir, { recursive: true });
const simulator = await startSimulator();
const service = await startService(simulator.target, ['--cpu-prof', `--cpu-prof-dir=${dir.pathname}`]);
const before = new Set(await readdir(dir));
await autocannon({
  url: service.value,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({
    query: PUBLISH_QUERY,
    variables: { input: { endpoints: numbers(SIZE), smsTemplateId: 'tpl' } },
  }),
  connections: 10,
  duration: 10,
});
await service.stop();
await simulator.stop();
const file = (await readdir(dir)).find((name) => !before.has(name) && name.endsWith('.cpuprofile'));
if (!file) throw new Error('no profile written');

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
const profile = JSON.parse(await readFile(new URL(file, dir), 'utf8')) as { nodes: Node[]; samples: number[] };
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<string, number>();
for (const id of profile.samples) {
  const frame = byId.get(id)!.callFrame;
  const where = frame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
  const key = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
  self.set(key, (self.get(key) ?? 0) + 1);
}
const total = profile.samples.length;
console.log(`profile: bench/profiles/${file} (${total} samples)`);
for (const [frame, count] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  console.log(`${((100 * count) / total).toFixed(1).padStart(5)}%  ${frame}`);
}

// Self time by package (or our dist/ folder), to see what each layer costs.
const byPackage = new Map<string, number>();
for (const id of profile.samples) {
  const { url, functionName } = byId.get(id)!.callFrame;
  const pkg =
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
    /\/dist\/([^/]+)/.exec(url)?.[1]?.replace(/^/, 'dist/') ??
    (url.startsWith('node:') ? 'node:internal' : functionName.startsWith('(') ? functionName : 'other');
  byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + 1);
}
console.log('\nby package:');
for (const [pkg, count] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
  console.log(`${((100 * count) / total).toFixed(1).padStart(5)}%  ${pkg}`);
}
