import { randomBytes } from 'node:crypto';
import { json, startChild } from '../../scripts/lib/child-process.js';
import type { Fault } from '../../src/simulator/faults.js';

export interface SimulatorProcess {
  readonly url: string;
  readonly projectId: string;
  readonly ak: string;
  readonly sk: string;
  fault(fault: Fault | Fault[]): Promise<void>;
  /** Bodies of the signed promotion requests it received, in order. */
  requests(): Promise<unknown[]>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

async function control(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}/_simulator${path}`, {
    method,
    ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`simulator control ${method} ${path}: HTTP ${response.status}`);
  return response.json();
}

/** Starts the SMN simulator as its own process (`src/simulator/main.ts`) on a free port. */
export async function startSimulatorProcess(): Promise<SimulatorProcess> {
  const ak = 'TESTACCESSKEY';
  const sk = randomBytes(24).toString('base64url');
  const projectId = '0123456789abcdef0123456789abcdef';
  const child = await startChild(
    ['--import', 'tsx', 'src/simulator/main.ts'],
    { SIMULATOR_PORT: '0', SIMULATOR_AK: ak, SIMULATOR_SK: sk, SIMULATOR_PROJECT_ID: projectId },
    (line) => json(line)?.simulator as string | undefined,
  );
  const url = child.value;
  return {
    url,
    projectId,
    ak,
    sk,
    fault: async (fault) => void (await control(url, 'POST', '/faults', fault)),
    requests: async () => ((await control(url, 'GET', '/requests')) as { requests: unknown[] }).requests,
    reset: async () => {
      await control(url, 'DELETE', '/faults');
      await control(url, 'DELETE', '/requests');
    },
    stop: child.stop,
  };
}
