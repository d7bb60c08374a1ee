import autocannon from 'autocannon';
import { numbers } from './lib/limit.js';
import { PUBLISH_QUERY, startService, startSimulator } from './lib/servers.js';
const simulator = await startSimulator();
const service = await startService(simulator.target, (process.env.FLAGS ?? '--trace-gc').split(' '));
await autocannon({ url: service.value, method: 'POST', headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: PUBLISH_QUERY, variables: { input: { endpoints: numbers(1000), smsTemplateId: 't' } } }), connections: 10, duration: 6 });
const mc = service.lines.filter((l) => l.includes('Mark-Compact') || l.includes('Mark-sweep'));
console.log(mc.slice(-4).map((l) => l.replace(/^.*?ms: /, '').slice(0, 200)).join('\n'));
console.log('scavenges', service.lines.filter((l) => l.includes('Scavenge')).length, 'mark-compacts', mc.length);
await service.stop(); await simulator.stop();
