// Heap held by the in-memory send log when full at its default size, recorded one message per send
// (the worst case: every send its own record) and 1000 per send. Run: npm run bench
import { randomBytes } from 'node:crypto';
import { createMemorySendLog } from '../src/state/memory-send-log.js';

const ENTRIES = 50_000; // SEND_LOG_MAX_ENTRIES default
const BUDGET_MB = 32; // what we promise a small pod

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

async function heldBy(perSend: number): Promise<{ messages: number; megabytes: number }> {
  await new Promise((resolve) => setTimeout(resolve, 100)); // a previous log's last promises settle
  gc!();
  gc!();
  const before = process.memoryUsage().heapUsed;
  const log = createMemorySendLog({ maxEntries: ENTRIES, ttlMs: 86_400_000 });
  const submittedAt = new Date();
  const sentBy = { sub: 'bench' };
  // One short of the bound: the fullest the two generations ever get.
  for (let sent = 0; sent < ENTRIES - 1; sent += perSend) {
    const requestId = randomBytes(16).toString('hex');
    await log.record(
      Array.from({ length: Math.min(perSend, ENTRIES - 1 - sent) }, (_, index) => ({
        messageId: randomBytes(16).toString('hex'),
        endpoint: `+86138${String(sent + index).padStart(8, '0')}`,
        requestId,
        smsTemplateId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
        signId: 'sign_1',
        submittedAt,
        sentBy,
      })),
    );
  }
  const messages = log.size; // looks every message up once: the id index is built
  gc!();
  const megabytes = (process.memoryUsage().heapUsed - before) / 1e6;
  log.close();
  return { messages, megabytes };
}

for (const perSend of [1, 1000]) {
  const { messages, megabytes } = await heldBy(perSend);
  console.log(
    `send log, ${perSend} per send: ${messages} messages hold ${megabytes.toFixed(1)} MB of heap (budget ${BUDGET_MB} MB)`,
  );
  if (megabytes > BUDGET_MB) process.exitCode = 1;
}
