import { randomBytes } from 'node:crypto';
import { json, startChild } from '../../scripts/lib/child-process.js';
import type { Fault } from '../../src/simulator/faults.js';

export interface SimulatorProcess {
  readonly url: string;
  readonly projectId: string;
  readonly ak: string;
  readonly sk: string;
  fault(fault: Fault | Fault[]): Promise<void>;
  /** The PEM certificate its events are signed with (what a gateway pins in SMN_EVENTS_CERT). */
  certificate(): Promise<string>;
  /** Subscribes an endpoint to its SMS events (a signed SubscriptionConfirmation is posted at once). */
  subscribe(endpoint: string): Promise<void>;
  /** Posts a reply from a recipient; answers the HTTP status the endpoint gave. */
  reply(input: { endpoint: string; text: string; masked?: boolean; signId?: string }): Promise<number | 'error'>;
  /** Posts a report for any message id; answers the endpoint's status. */
  report(input: { messageId: string; statusDesc?: string; success?: boolean }): Promise<number | 'error'>;
  /** Posts the last event again unchanged, or altered after signing; answers the endpoint's status. */
  repost(how: 'duplicate' | 'tampered'): Promise<number | 'error'>;
  /** Every event it posted, with the status the endpoint answered. */
  events(): Promise<Array<Record<string, unknown> & { status: number | 'error' }>>;
  /** Bodies of the signed promotion requests it received, in order. */
  requests(): Promise<unknown[]>;
  /** Headers of the signed promotion requests it received, in order. */
  requestHeaders(): Promise<Array<Record<string, string | undefined>>>;
  /** Paths (with query) of the template and signature reads it answered, in order. */
  catalogCalls(): Promise<string[]>;
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
export async function startSimulatorProcess(env: Record<string, string> = {}): Promise<SimulatorProcess> {
  const ak = 'TESTACCESSKEY';
  const sk = randomBytes(24).toString('base64url');
  const projectId = '0123456789abcdef0123456789abcdef';
  const child = await startChild(
    ['--import', 'tsx', 'src/simulator/main.ts'],
    { SIMULATOR_PORT: '0', SIMULATOR_AK: ak, SIMULATOR_SK: sk, SIMULATOR_PROJECT_ID: projectId, ...env },
    (line) => json(line)?.simulator as string | undefined,
  );
  const url = child.value;
  return {
    url,
    projectId,
    ak,
    sk,
    fault: async (fault) => void (await control(url, 'POST', '/faults', fault)),
    certificate: async () => ((await control(url, 'GET', '/certificate')) as { certificate: string }).certificate,
    subscribe: async (endpoint) => void (await control(url, 'PUT', '/subscription', { endpoint })),
    reply: async (input) => ((await control(url, 'POST', '/replies', input)) as { status: number | 'error' }).status,
    report: async (input) =>
      ((await control(url, 'POST', '/events/report', input)) as { status: number | 'error' }).status,
    repost: async (how) => ((await control(url, 'POST', `/events/${how}`)) as { status: number | 'error' }).status,
    events: async () =>
      (
        (await control(url, 'GET', '/events')) as {
          events: Array<Record<string, unknown> & { status: number | 'error' }>;
        }
      ).events,
    requests: async () => ((await control(url, 'GET', '/requests')) as { requests: unknown[] }).requests,
    requestHeaders: async () =>
      ((await control(url, 'GET', '/requests')) as { headers: Array<Record<string, string | undefined>> }).headers,
    catalogCalls: async () => ((await control(url, 'GET', '/catalog-calls')) as { calls: string[] }).calls,
    reset: async () => {
      await control(url, 'DELETE', '/faults');
      await control(url, 'DELETE', '/requests');
    },
    stop: child.stop,
  };
}
