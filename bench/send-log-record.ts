// The send log's record() alone against the real Redis, with and without the history outbox in its
// script: this process's CPU per record of 1000 messages, alternating the two (the machine is shared).
// node --import tsx bench/send-log-record.ts [rounds] [records per round]
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRedisSendLog } from '../src/state/redis-send-log.js';
import { historyOutboxKeys } from '../src/state/redis-history-outbox.js';
import { SUBMITTED, type SentMessage } from '../src/send/send-log.js';

const ROUNDS = Number(process.argv[2] ?? 6);
const RECORDS = Number(process.argv[3] ?? 300);
const SIZE = 1000;
const CONCURRENCY = 8;
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `bench-record-${process.pid}-${Date.now()}:`;
const keys = historyOutboxKeys(prefix);
const plain = createRedisSendLog(redis, prefix, 3_000);
const withHistory = createRedisSendLog(redis, prefix, 3_000, { outbox: { keys, maxEntries: 1_000_000 } });

function send(): SentMessage[] {
  const requestId = randomUUID();
  const submittedAt = new Date();
  return Array.from({ length: SIZE }, (_, index) => ({
    messageId: randomUUID(),
    endpoint: `+86138${String(index).padStart(8, '0')}`,
    requestId,
    smsTemplateId: 'tpl_bench',
    submittedAt,
    delivery: SUBMITTED,
  }));
}

async function measure(log: typeof plain): Promise<number> {
  const sends = Array.from({ length: RECORDS }, send);
  let next = 0;
  const before = process.cpuUsage();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < sends.length) await log.record(sends[next++]!);
    }),
  );
  const used = process.cpuUsage(before);
  await redis.del(keys.stream);
  return (used.user + used.system) / 1000 / RECORDS;
}

const results: Array<[number, number]> = [];
await measure(plain);
await measure(withHistory);
for (let round = 1; round <= ROUNDS; round += 1) {
  const off = await measure(plain);
  const on = await measure(withHistory);
  results.push([off, on]);
  console.log(
    `round ${round}: record() CPU ms without history ${off.toFixed(3)}, with ${on.toFixed(3)} (+${(on - off).toFixed(3)})`,
  );
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
const offs = results.map(([off]) => off);
const ons = results.map(([, on]) => on);
console.log(
  `median: without ${median(offs).toFixed(3)} ms, with ${median(ons).toFixed(3)} ms, difference ${median(results.map(([off, on]) => on - off)).toFixed(3)} ms`,
);
await redis.del(keys.stream, keys.dropped);
redis.disconnect();
