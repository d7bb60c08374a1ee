import { json, startChild } from '../../scripts/lib/child-process.js';
import type { SmnTarget } from './limit.js';
import { coresOf, onFeederCores, onMeasuredCore } from './placement.js';

/** One autocannon job of the load generator. */
export interface LoadJob {
  readonly url: string;
  readonly body: string;
  readonly connections: number;
  readonly seconds: number;
  readonly rate?: number;
}

export interface LoadResult {
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly p50: number;
  readonly p99: number;
}

/** Runs jobs at the same time in the load generator's own process (on the feeder cores). */
export async function load(jobs: LoadJob[]): Promise<LoadResult[]> {
  const child = await startChild(
    ['--import', 'tsx', 'bench/lib/load-process.ts', JSON.stringify(jobs)],
    {},
    (line) => json(line)?.load as LoadResult[] | undefined,
    onFeederCores(),
  );
  return child.value;
}

export interface LimitSpec {
  readonly size: number;
  readonly loops: number;
  readonly seconds: number;
  /** Calls per second for the latency measurement. */
  readonly rate: number;
}

export interface LimitRow {
  readonly variant: 'limit (node:http)' | 'limit (got)';
  readonly size: string;
  readonly perSecond: number;
  readonly cpuPerOp: number;
  readonly p50: number;
  readonly p99: number;
  readonly cores: string;
}

/** The limit in its own process on the measured core: `http` (node:http) or `got` (the service's client). */
export async function measureLimit(target: SmnTarget, client: 'http' | 'got', spec: LimitSpec): Promise<LimitRow> {
  const child = await startChild(
    ['--import', 'tsx', 'bench/lib/limit-process.ts', JSON.stringify({ client, target, ...spec })],
    {},
    (line) => json(line)?.limit as { perSecond: number; cpuPerOp: number; p50: number; p99: number } | undefined,
    onMeasuredCore(),
  );
  const cores = coresOf(child.pid);
  await child.stop();
  return {
    variant: client === 'http' ? 'limit (node:http)' : 'limit (got)',
    size: String(spec.size),
    ...child.value,
    cores,
  };
}
