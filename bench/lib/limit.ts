import pino from 'pino';
import { createSmnClient } from '../../src/smn/client.js';
import type { PromotionSend } from '../../src/smn/wire.js';

export interface SmnTarget {
  readonly url: string;
  readonly projectId: string;
  readonly ak: string;
  readonly sk: string;
}

/** The limit: the signed REST call itself, from this process, with the same client and keep-alive agent. */
export function limitClient(target: SmnTarget) {
  return createSmnClient({
    endpoint: new URL(target.url),
    projectId: target.projectId,
    credentials: { ak: target.ak, sk: target.sk },
    timeoutMs: 10_000,
    connectTimeoutMs: 3_000,
    logger: pino({ level: 'silent' }),
  });
}

/** As many calls as `connections` loops can make in `seconds`. */
export async function saturate(
  call: () => Promise<unknown>,
  connections: number,
  seconds: number,
): Promise<{ operations: number; perSecond: number }> {
  const deadline = performance.now() + seconds * 1000;
  let operations = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < deadline) {
        await call();
        operations += 1;
      }
    }),
  );
  return { operations, perSecond: operations / seconds };
}

/** Latency percentiles of calls started at a fixed rate. */
export async function atRate(call: () => Promise<unknown>, rate: number, seconds: number) {
  const latencies: number[] = [];
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let index = 0; index < rate * seconds; index += 1) {
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const begin = performance.now();
    pending.push(call().then(() => void latencies.push(performance.now() - begin)));
  }
  await Promise.all(pending);
  return percentiles(latencies);
}

export function percentiles(values: number[]): { p50: number; p99: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

export function promotionSend(size: number): PromotionSend {
  return { endpoints: numbers(size), smsTemplateId: 'tpl_bench' };
}

/** `size` distinct valid numbers; the first ends in 0000, so one result is SmsFailed. */
export function numbers(size: number): string[] {
  return Array.from({ length: size }, (_, index) => `+8613900${String(index).padStart(6, '0')}`);
}
