// Heap held by the in-memory send log when full at its default size. Run: npm run bench
import { randomBytes } from 'node:crypto';
import { createMemorySendLog } from '../src/state/memory-send-log.js';

const ENTRIES = 50_000; // SEND_LOG_MAX_ENTRIES default
const BUDGET_MB = 32; // what we promise a small pod

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
gc();
const before = process.memoryUsage().heapUsed;
const log = createMemorySendLog({ maxEntries: ENTRIES, ttlMs: 86_400_000 });
const submittedAt = new Date();
// One short of the bound: the fullest the two generations ever get.
for (let i = 0; i < ENTRIES - 1; i++) {
  await log.record([
    {
      messageId: randomBytes(16).toString('hex'),
      endpoint: `+86138${String(i).padStart(8, '0')}`,
      requestId: randomBytes(16).toString('hex'),
      smsTemplateId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      signId: 'sign_1',
      submittedAt,
    },
  ]);
}
gc();
const megabytes = (process.memoryUsage().heapUsed - before) / 1e6;
console.log(`send log: ${log.size} messages hold ${megabytes.toFixed(1)} MB of heap (budget ${BUDGET_MB} MB)`);
if (megabytes > BUDGET_MB) process.exitCode = 1;
