import { mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = '/sys/fs/cgroup/memory';

/** A cgroup v1 memory cgroup made by hand (these machines have no systemd), for a small pod's limit. */
export interface MemoryCgroup {
  /** Put before node: the shell joins the cgroup, then execs the rest (node inherits it from the start). */
  readonly prefix: readonly string[];
  /** The most memory the cgroup used, in MB (memory.max_usage_in_bytes). */
  peakMb(): number;
  /** Processes the kernel's OOM killer killed in it. */
  oomKills(): number;
  remove(): Promise<void>;
}

/** Makes a cgroup limited to `limitMb`, or says why it cannot (not root, no cgroup v1 memory controller). */
export async function startCgroup(limitMb: number): Promise<MemoryCgroup | string> {
  const dir = `${ROOT}/smn-bench-${process.pid}-${Date.now()}`;
  try {
    await mkdir(dir);
    await writeFile(`${dir}/memory.limit_in_bytes`, String(limitMb * 1024 * 1024));
  } catch (error) {
    return `no cgroup v1 memory controller to write to (${(error as Error).message})`;
  }
  let peak = 0;
  let kills = 0;
  const read = async () => {
    peak = Number(await readFile(`${dir}/memory.max_usage_in_bytes`, 'utf8')) / 1024 / 1024;
    kills = Number(/^oom_kill (\d+)/m.exec(await readFile(`${dir}/memory.oom_control`, 'utf8'))?.[1] ?? 0);
  };
  const watch = setInterval(() => void read().catch(() => undefined), 500);
  return {
    prefix: ['sh', '-c', `echo $$ > ${dir}/cgroup.procs && exec "$@"`, 'sh'],
    peakMb: () => peak,
    oomKills: () => kills,
    async remove() {
      await read().catch(() => undefined);
      clearInterval(watch);
      for (let attempt = 0; attempt < 50; attempt += 1) {
        try {
          await rmdir(dir);
          return;
        } catch {
          await sleep(100);
        }
      }
    },
  };
}
