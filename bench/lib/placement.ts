import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { cpuMs, memoryMb } from './proc.js';

/**
 * Which cores what runs on. With two or more cores the measured side (the service, or the limit's
 * caller) gets core 0 to itself, and the load generator and the SMN simulator share the others, so the
 * measured process never waits behind the processes that feed it. `taskset -c` before node: threads
 * and a re-executed child inherit it.
 */
export const CORES = (() => {
  const count = cpus().length;
  if (count < 2) return { measured: undefined, feeders: undefined, count };
  return { measured: '0', feeders: count === 2 ? '1' : `1-${count - 1}`, count };
})();

export const onMeasuredCore = (): string[] => (CORES.measured ? ['taskset', '-c', CORES.measured] : []);
export const onFeederCores = (): string[] => (CORES.feeders ? ['taskset', '-c', CORES.feeders] : []);

/** The cores a process may run on (its Cpus_allowed_list), as the kernel reports it. */
export function coresOf(pid: number): string {
  return /^Cpus_allowed_list:\s+(\S+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';
}

/** The process and every descendant (a service that re-executed itself with heap flags has a child). */
export function processTree(pid: number): number[] {
  const tree = [pid];
  for (const task of safeList(`/proc/${pid}/task`)) {
    const children = safeRead(`/proc/${pid}/task/${task}/children`).split(' ').filter(Boolean).map(Number);
    for (const child of children) tree.push(...processTree(child));
  }
  return tree;
}

/** CPU ms of a process tree (user + system), from /proc: the service's processes only. */
export const treeCpuMs = (pid: number): number => processTree(pid).reduce((sum, each) => sum + cpuMs(each), 0);

/** RSS now and peak (VmHWM) summed over a process tree, in MB. */
export function treeMemoryMb(pid: number): { rss: number; peak: number } {
  return processTree(pid)
    .map((each) => memoryMb(each))
    .reduce((sum, each) => ({ rss: sum.rss + each.rss, peak: sum.peak + each.peak }), { rss: 0, peak: 0 });
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
