import { createApp, type App } from '../../src/app.js';
import { loadConfig } from '../../src/config/index.js';
import { LogCapture } from './log-capture.js';
import type { SimulatorProcess } from './simulator-process.js';
import type { Clock } from '../../src/util/clock.js';
import type { WebhookTiming } from '../../src/wiring/webhooks.js';

export interface TestApp extends App {
  readonly logs: LogCapture;
}

export interface StartOptions {
  /** The clock the send window is checked against. */
  readonly clock?: Clock;
  /** The SMN client's first retry delay (20 ms by default, to keep tests short). */
  readonly retryDelayMs?: number;
  /** Campaign backoff and longest wait (50 ms and 200 ms by default, to keep tests short). */
  readonly campaignTiming?: { readonly retryBaseMs?: number; readonly waitSliceMs?: number };
  /** Which signing_cert_urls the app may fetch (a local server standing in for SMN's certificate host). */
  readonly certificateUrlAllowed?: (url: string) => boolean;
  /** Webhook backoff and order waits (50 ms doubling to 400 ms, 50 ms by default, to keep tests short). */
  readonly webhookTiming?: WebhookTiming;
}

/** The real app on port 0, configured through the same environment variables production uses. */
export async function startApp(env: Record<string, string | undefined>, options: StartOptions = {}): Promise<TestApp> {
  const logs = new LogCapture();
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', ...env });
  const app = await createApp(config, {
    logDestination: logs,
    smnRetry: { limit: 2, baseDelayMs: options.retryDelayMs ?? 20 },
    ...(options.clock && { clock: options.clock }),
    campaignTiming: { retryBaseMs: 50, waitSliceMs: 200, ...options.campaignTiming },
    ...(options.certificateUrlAllowed && { certificateUrlAllowed: options.certificateUrlAllowed }),
    webhookTiming: { retry: { baseMs: 50, maxDelayMs: 400 }, orderWaitMs: 50, ...options.webhookTiming },
  });
  return Object.assign(app, { logs });
}

/**
 * Environment pointing the gateway at a simulator process with its credentials. Real credentials
 * demand auth and the send window, so tests that are not about those turn them off explicitly.
 */
export function envFor(simulator: SimulatorProcess, extra: Record<string, string> = {}): Record<string, string> {
  return {
    AUTH_DISABLED: 'true',
    SEND_WINDOW: 'off',
    SMN_ENDPOINT: simulator.url,
    SMN_PROJECT_ID: simulator.projectId,
    HUAWEICLOUD_SDK_AK: simulator.ak,
    HUAWEICLOUD_SDK_SK: simulator.sk,
    ...extra,
  };
}
