// npm run bench:heap — peak RSS and throughput of the service at saturation (1000 endpoints, 8 s)
// with V8's default heap sizing and with the old generation capped, to separate what the service
// needs from what V8 lets itself grow to on a big machine.
import autocannon from 'autocannon';
import { numbers } from './lib/limit.js';
import { memoryMb } from './lib/proc.js';
import { PUBLISH_QUERY, startService, startSimulator } from './lib/servers.js';

const simulator = await startSimulator();
try {
  for (const args of [[], ['--max-old-space-size=128'], ['--max-old-space-size=96']]) {
    const service = await startService(simulator.target, args);
    const result = await autocannon({
      url: service.value,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: PUBLISH_QUERY,
        variables: { input: { endpoints: numbers(1000), smsTemplateId: 't' } },
      }),
      connections: 10,
      duration: 8,
    });
    const { peak } = memoryMb(service.pid);
    console.log(
      `${args.join(' ') || 'default heap'}: peak RSS ${peak.toFixed(0)} MB, ${(result.requests.total / 8).toFixed(0)} ops/s`,
    );
    await service.stop();
  }
} finally {
  await simulator.stop();
}
