import autocannon from 'autocannon';
import { numbers } from './lib/limit.js';
import { cpuMs, memoryMb } from './lib/proc.js';
import { PUBLISH_QUERY, startSimulator } from './lib/servers.js';
import { listeningUrl, startChild } from '../scripts/lib/child-process.js';
import { smnEnv } from './lib/servers.js';
const simulator = await startSimulator();
for (const variant of (process.env.VARIANTS ?? '|').split(';')) {
  const [node, flags, after] = variant.split('|');
  const service = await startChild([...(node ?? '').split(' ').filter(Boolean), 'dist/_exp.js'], { ...smnEnv(simulator.target), NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', AUTH_DISABLED: 'true', SEND_WINDOW: 'off', QUOTA_RECIPIENTS_PER_MINUTE: '0', QUOTA_RECIPIENTS_PER_DAY: '0', SMN_MAX_CALLS_PER_SECOND: '10000', SMN_MAX_CONCURRENT_CALLS: '1000', EXP_FLAGS: flags ?? '', EXP_AFTER: after ?? '' }, listeningUrl);
  await new Promise((r) => setTimeout(r, 1000));
  const idle = memoryMb(service.pid).rss;
  const options = { url: service.value, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: PUBLISH_QUERY, variables: { input: { endpoints: numbers(1000), smsTemplateId: 't' } } }), connections: 10 };
  await autocannon({ ...options, duration: 2 });
  const before = cpuMs(service.pid);
  const result = await autocannon({ ...options, duration: 8 });
  console.log(`${variant.padEnd(70)} ${((cpuMs(service.pid) - before) / result.requests.total).toFixed(2)} ms/op, idle ${idle.toFixed(0)}, peak ${memoryMb(service.pid).peak.toFixed(0)}`);
  await service.stop();
}
await simulator.stop();
