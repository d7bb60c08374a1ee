import { afterAll, beforeAll } from 'vitest';
import { envFor, startApp, type StartOptions, type TestApp } from './app.js';
import { authEnv, makeKey, startJwksServer, type JwksServer, type SigningKey } from './jwks.js';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process.js';

export interface StackOptions {
  /** `process` (default): the SMN simulator in a process of its own; `embedded`: the app's built-in one. */
  readonly simulator?: 'process' | 'embedded';
  /** Bearer-token auth against a real JWKS server with one signing key (default: auth disabled). */
  readonly auth?: boolean;
  /** Extra environment for the stack's app, and every app started with `env()` or `withApp()`. */
  readonly env?: Record<string, string>;
  /** Environment of the simulator process (SIMULATOR_REPORT_DELAY_MS, ...). */
  readonly simulatorEnv?: Record<string, string>;
  /** Start the stack's own app (default true); false for files that start their apps per test. */
  readonly app?: boolean;
  /** Options for the stack's app (a pinned clock, retry pacing). */
  readonly start?: StartOptions;
}

export interface Stack {
  /** The SMN simulator, as its own process (undefined with `simulator: 'embedded'`). */
  readonly simulator: SimulatorProcess;
  /** The app on port 0, configured for the simulator (and the JWKS when `auth`). */
  readonly app: TestApp;
  /** Set with `auth: true`. */
  readonly jwks: JwksServer;
  readonly key: SigningKey;
  /** The environment an app on this stack is started with, plus `extra`. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Runs `fn` with a short-lived app on this stack, closed afterwards whatever happens. */
  withApp<T>(extra: Record<string, string>, fn: (app: TestApp) => Promise<T>, options?: StartOptions): Promise<T>;
}

/**
 * The world one integration test file runs in, started once for the file and stopped after it: an
 * SMN simulator process, optionally a JWKS server with a signing key, and the real app over HTTP.
 */
export function useStack(options: StackOptions = {}): Stack {
  const parts = {} as { simulator: SimulatorProcess; app: TestApp; jwks: JwksServer; key: SigningKey };
  const env = (extra: Record<string, string> = {}) => {
    const own = { ...options.env, ...extra };
    const withAuth = options.auth ? authEnv(parts.jwks, own) : own;
    return options.simulator === 'embedded' ? withAuth : envFor(parts.simulator, withAuth);
  };
  const stack: Stack = {
    get simulator() {
      return parts.simulator;
    },
    get app() {
      return parts.app;
    },
    get jwks() {
      return parts.jwks;
    },
    get key() {
      return parts.key;
    },
    env,
    withApp: (extra, fn, startOptions) => withApp(env(extra), fn, startOptions),
  };
  beforeAll(async () => {
    if (options.simulator !== 'embedded') parts.simulator = await startSimulatorProcess(options.simulatorEnv);
    if (options.auth) {
      parts.key = await makeKey('key-1');
      parts.jwks = await startJwksServer([parts.key]);
    }
    if (options.app !== false) parts.app = await startApp(env(), options.start);
  });
  afterAll(async () => {
    await parts.app?.close();
    await parts.jwks?.stop();
    await parts.simulator?.stop();
  });
  return stack;
}

/** An app beside the stack's own for the whole file (another configuration), closed after it. */
export function useApp(stack: Stack, extra: Record<string, string>, options?: StartOptions): { readonly app: TestApp } {
  const holder = {} as { app: TestApp };
  beforeAll(async () => {
    holder.app = await startApp(stack.env(extra), options);
  });
  afterAll(async () => {
    await holder.app?.close();
  });
  return holder;
}

/** Runs `fn` with an app started from `env`, closed afterwards whatever happens. */
export async function withApp<T>(
  env: Record<string, string | undefined>,
  fn: (app: TestApp) => Promise<T>,
  options?: StartOptions,
): Promise<T> {
  const app = await startApp(env, options);
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
