import { mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, listeningUrl, startChild, type Child } from '../../scripts/lib/child-process.js';

// The real entry point (`src/main.ts`) started inside a cgroup v1 memory controller made for the test,
// from its first instruction: a shell writes its own pid into the cgroup, then `exec`s node.
const MEMORY_CGROUPS = '/sys/fs/cgroup/memory';
const MiB = 1024 * 1024;

/** Why a cgroup cannot be made here (not root, cgroup v2 only, …), or undefined when it can. */
function cgroupUnavailable(): string | undefined {
  const probe = `${MEMORY_CGROUPS}/smn-gateway-probe-${process.pid}`;
  try {
    mkdirSync(probe);
    writeFileSync(`${probe}/memory.limit_in_bytes`, String(256 * MiB));
    return undefined;
  } catch (error) {
    return `cannot make a cgroup v1 memory controller at ${MEMORY_CGROUPS} (${(error as Error).message})`;
  } finally {
    try {
      rmdirSync(probe);
    } catch {
      // never made
    }
  }
}

const unavailable = cgroupUnavailable();
if (unavailable !== undefined && process.env.CI !== 'true')
  console.warn(`SKIPPING the cgroup heap-sizing tests: ${unavailable}. They need root and cgroup v1 (CI runs them).`);

const cgroups: string[] = [];
const children: Child<string>[] = [];

/** A fresh memory cgroup, limited to `limitBytes` when given (else unlimited). */
function makeCgroup(limitBytes?: number): string {
  const dir = `${MEMORY_CGROUPS}/smn-gateway-heap-${process.pid}-${cgroups.length}`;
  mkdirSync(dir);
  cgroups.push(dir);
  if (limitBytes !== undefined) writeFileSync(`${dir}/memory.limit_in_bytes`, String(limitBytes));
  return dir;
}

const pidsIn = (cgroup: string) =>
  readFileSync(`${cgroup}/cgroup.procs`, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map(Number);

const commandLine = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');

/**
 * The entry and the service it may start (both run src/main.ts): on a cold tsx cache the cgroup also
 * holds esbuild's compile service for a while, which is neither.
 */
const servicePidsIn = (cgroup: string) =>
  pidsIn(cgroup).filter((pid) => commandLine(pid).some((arg) => arg.endsWith('src/main.ts')));

/** `node --import tsx src/main.ts` inside `cgroup`, ready once it listens. */
async function startInCgroup(cgroup: string, env: Record<string, string> = {}): Promise<Child<string>> {
  const child = await startChild(
    ['--import', 'tsx', 'src/main.ts'],
    { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SMN_MODE: 'simulator', ...env },
    listeningUrl,
    ['sh', '-c', `echo $$ > ${cgroup}/cgroup.procs && exec "$0" "$@"`],
  );
  children.push(child);
  return child;
}

/** The service's "V8 heap" log line, once it has logged it (right after it listens). */
async function heapLog(child: Child<string>): Promise<Record<string, unknown>> {
  const find = () => child.lines.map(json).find((entry) => entry?.msg === 'V8 heap');
  await vi.waitFor(() => expect(find()).toBeDefined(), { timeout: 5_000 });
  return find()!;
}

async function healthz(child: Child<string>): Promise<number> {
  return (await fetch(child.value.replace(/\/graphql$/, '/healthz'))).status;
}

afterEach(async () => {
  // Whatever a failed test left running was started by it: stop it, then remove its cgroups.
  for (const child of children.splice(0)) await child.kill('SIGKILL');
  for (const cgroup of cgroups.splice(0)) {
    for (const pid of pidsIn(cgroup)) process.kill(pid, 'SIGKILL');
    await vi.waitFor(() => expect(pidsIn(cgroup)).toEqual([]), { timeout: 5_000 });
    rmdirSync(cgroup);
  }
});

describe.skipIf(unavailable !== undefined && process.env.CI !== 'true')(
  'the heap is sized from the container memory limit (the real entry point, in a cgroup)',
  () => {
    it('cgroups are available (CI must run these tests, not skip them)', () => {
      expect(unavailable).toBeUndefined();
    });

    it('256 MiB: the service runs as a child with 115 + 8 MB; SIGTERM to the entry stops both, exit 0', async () => {
      const cgroup = makeCgroup(256 * MiB);
      const entry = await startInCgroup(cgroup);
      expect(await healthz(entry)).toBe(200);
      expect(await heapLog(entry)).toMatchObject({
        containerMemoryMb: 256,
        heapFlags: '--max-old-space-size=115 --max-semi-space-size=8',
        reason: 'sized from the container memory limit (256 MiB)',
      });
      // V8 took the flags: 115 MB old space and 3 x 8 MB young generation, not the 259 MB it would choose.
      expect((await heapLog(entry)).heapSizeLimitMb).toBeLessThan(200);
      expect((await heapLog(entry)).warning).toBeUndefined();

      const service = servicePidsIn(cgroup).filter((pid) => pid !== entry.pid);
      expect(service).toHaveLength(1);
      expect(commandLine(service[0]!)).toContain('--max-old-space-size=115');
      expect(commandLine(entry.pid)).not.toContain('--max-old-space-size=115');

      expect(await entry.kill('SIGTERM')).toBe(0);
      // The entry's exit can come before the last lines of the pipe it shares with the service are read.
      await vi.waitFor(() => expect(entry.lines.map((line) => json(line)?.msg)).toContain('stopped'), {
        timeout: 5_000,
      });
      await vi.waitFor(() => expect(pidsIn(cgroup)).toEqual([]), { timeout: 5_000 });
    });

    it('no memory limit: no second process, the growth capped in this one, and the log says so', async () => {
      const cgroup = makeCgroup();
      const entry = await startInCgroup(cgroup);
      expect(await healthz(entry)).toBe(200);
      expect(await heapLog(entry)).toMatchObject({
        containerMemoryMb: null,
        heapFlags: '--heap-growing-percent=50',
        reason:
          'no container memory limit: V8 sizes its heap, the old generation growing at most 50% between full collections',
      });
      await sleep(200); // a re-exec would have started its child by now
      expect(servicePidsIn(cgroup)).toEqual([entry.pid]);
      expect(await entry.kill('SIGTERM')).toBe(0);
    });

    it("the operator's heap flag wins: one process, the limit is not applied, and the log says why", async () => {
      const cgroup = makeCgroup(256 * MiB);
      const entry = await startInCgroup(cgroup, { NODE_OPTIONS: '--max-old-space-size=150' });
      expect(await heapLog(entry)).toMatchObject({
        containerMemoryMb: 256,
        heapFlags: null,
        reason: 'the operator set --max-old-space-size=150: the container limit is not applied',
      });
      expect(servicePidsIn(cgroup)).toEqual([entry.pid]);
      expect(await entry.kill('SIGTERM')).toBe(0);
    });

    // 192 MiB: the least this test's service (run through tsx, which costs memory of its own) starts in;
    // at 160 MiB the cgroup kills it while it loads, and the entry exits with its SIGKILL.
    it('below what the service needs (192 MiB): still sized, and the service warns', async () => {
      const cgroup = makeCgroup(192 * MiB);
      const entry = await startInCgroup(cgroup);
      const log = await heapLog(entry);
      expect(log).toMatchObject({ level: 40, heapFlags: '--max-old-space-size=76 --max-semi-space-size=6' });
      expect(log.warning).toMatch(/below what the service needs/);
      expect(await entry.kill('SIGINT')).toBe(0);
    });
  },
);
