import { listeningUrl, startChild } from '../../scripts/lib/child-process.js';

export interface AppProcess {
  readonly graphqlUrl: string;
  /** Every stdout line (JSON log lines). */
  readonly lines: readonly string[];
  /** Sends the signal and resolves with the exit code once the process has exited. */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  /** Sends a signal the process handles and goes on (SIGHUP). */
  signal(signal: NodeJS.Signals): void;
}

/** The real entry point (`src/main.ts`) as its own process, so a test can kill it mid-send. */
export async function startAppProcess(env: Record<string, string>): Promise<AppProcess> {
  const child = await startChild(
    ['--import', 'tsx', 'src/main.ts'],
    { PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    listeningUrl,
  );
  return {
    graphqlUrl: child.value,
    lines: child.lines,
    kill: child.kill,
    signal: (signal) => void child.process.kill(signal),
  };
}
