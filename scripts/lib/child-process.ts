import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A Node process started by a test or a benchmark, ready once it printed the line it was waiting for. */
export interface Child<T> {
  readonly process: ChildProcess;
  readonly pid: number;
  /** What `ready` extracted from the ready line (a URL, usually). */
  readonly value: T;
  /** Every stdout line so far. */
  readonly lines: readonly string[];
  /** Sends the signal (if it still runs) and resolves with the exit code once it has exited. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGTERM, then resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts `node <args>` with exactly `env` (plus PATH) and waits for a stdout line `ready` accepts: the
 * one way tests and benchmarks start the service, the simulator and anything else that says "ready".
 * `launcher` runs node instead (`[command, ...its args]`, node's path and `args` appended): `taskset`, a shell that
 * puts itself in a cgroup, then `exec`s node, so the process's pid stays the one started.
 */
export async function startChild<T>(
  args: readonly string[],
  env: Record<string, string | undefined>,
  ready: (line: string) => T | undefined,
  launcher: readonly string[] = [],
): Promise<Child<T>> {
  const [command, ...argv] = [...launcher, process.execPath, ...args] as [string, ...string[]];
  const child = spawn(command, argv, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const value = await new Promise<T>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const found = ready(line);
      if (found !== undefined) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before it was ready`)));
  });
  const kill = (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return { process: child, pid: child.pid!, value, lines, kill, stop: async () => void (await kill()) };
}

/** A log line as JSON, or undefined when it is not JSON. */
export function json(line: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The URL the service logs when it is ready ("smn-gateway listening"). */
export function listeningUrl(line: string): string | undefined {
  const entry = json(line);
  return entry?.msg === 'smn-gateway listening' && typeof entry.url === 'string' ? entry.url : undefined;
}
