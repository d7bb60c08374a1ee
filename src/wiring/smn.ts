import { randomBytes } from 'node:crypto';
import type { Config } from '../config/index.js';
import type { Logger } from '../observability/logger.js';
import { createSmnClient, type SmnClient, type SmnClientOptions } from '../smn/client.js';
import { createOutboundGate, type OutboundGate, type SharedCallRate } from '../smn/outbound-gate.js';
import type { RunningSimulator } from '../simulator/server.js';
import type { SharedState } from '../state/state-port.js';
import type { Lifecycle } from './lifecycle.js';

const SIMULATOR_PROJECT_ID = 'simulator-project';

export interface SmnPart {
  /** The client itself: catalog reads and the report API (each caller puts its own limit in front). */
  readonly client: SmnClient;
  /** Sends, through the outbound gate (calls per second and in flight toward SMN). */
  readonly gate: OutboundGate;
  /** Set when no credentials are configured and the embedded simulator serves SMN calls. */
  readonly simulator: RunningSimulator | undefined;
  /**
   * Makes SMN_MAX_CALLS_PER_SECOND a limit all replicas share, when the state offers one (Redis). The
   * shared state starts after this part: the composition root calls this once it exists, before any
   * request or campaign batch is taken.
   */
  shareCallRate(state: Pick<SharedState, 'callRate'>): void;
}

/**
 * Part of the composition root (app.ts): the SMN client pointed at Huawei Cloud, or at the embedded
 * simulator when no credentials are set, and the outbound gate in front of it. Stops: the client's
 * sockets, then the simulator.
 */
export async function wireSmn(
  config: Config,
  logger: Logger,
  lifecycle: Lifecycle,
  retry: SmnClientOptions['retry'] | undefined,
): Promise<SmnPart> {
  const common = {
    timeoutMs: config.smnTimeoutMs,
    connectTimeoutMs: config.smnConnectTimeoutMs,
    maxResponseBytes: config.smnMaxResponseBytes,
    propagateTrace: config.smnPropagateTrace,
    logger,
    ...(retry && { retry }),
  };
  let client: SmnClient;
  let simulator: RunningSimulator | undefined;
  if (config.smn.mode === 'remote') {
    const { endpoint, projectId, credentials } = config.smn;
    logger.info({ smnEndpoint: endpoint.origin, projectId }, 'SMN: Huawei Cloud');
    client = createSmnClient({ ...common, endpoint, projectId, credentials });
  } else {
    const credentials = { ak: 'SIMULATOR', sk: randomBytes(24).toString('base64url') };
    // Loaded only here: a service talking to Huawei Cloud never holds the simulator (or its X.509 code).
    const { startSimulator } = await import('../simulator/server.js');
    const running = await startSimulator({
      projectId: SIMULATOR_PROJECT_ID,
      credentials,
      reportDelayMs: config.simulatorReportDelayMs,
    });
    simulator = running;
    lifecycle.toDispose(() => running.close());
    logger.warn(
      { simulator: running.url },
      'NO SMN CREDENTIALS CONFIGURED: using the embedded local SMN simulator. No real SMS will be sent. ' +
        'Set HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK, SMN_PROJECT_ID and SMN_REGION (or SMN_ENDPOINT) to use Huawei Cloud.',
    );
    client = createSmnClient({
      ...common,
      endpoint: new URL(running.url),
      projectId: SIMULATOR_PROJECT_ID,
      credentials,
    });
  }
  lifecycle.toDispose(() => client.close());
  let shared: SharedCallRate | undefined;
  const { smnCallsPerSecond } = config.limits;
  const gate = createOutboundGate(client, {
    callsPerSecond: smnCallsPerSecond,
    concurrentCalls: config.limits.smnConcurrentCalls,
    queuedCalls: config.limits.smnQueuedCalls,
    queueTimeoutMs: config.limits.smnQueueTimeoutMs,
    // Goes at once until shareCallRate is called (nothing is sent before).
    sharedCallRate: { take: () => (shared ? shared.take() : Promise.resolve(0)) },
  });
  const shareCallRate = (state: Pick<SharedState, 'callRate'>) => {
    shared = state.callRate?.(smnCallsPerSecond);
    logger.info(
      { smnCallsPerSecond, shared: shared !== undefined },
      shared
        ? 'SMN calls per second: shared by all replicas (Redis)'
        : 'SMN calls per second: this replica alone (no REDIS_URL)',
    );
  };
  return { client, gate, simulator, shareCallRate };
}
