import { afterAll, beforeAll } from 'vitest';
import { envFor, startApp, type TestApp } from './app.js';
import { authEnv, makeKey, startJwksServer, type JwksServer, type SigningKey } from './jwks.js';
import { startSimulatorProcess, type SimulatorProcess } from './simulator-process.js';

export interface AuthStack {
  readonly simulator: SimulatorProcess;
  readonly jwks: JwksServer;
  readonly key: SigningKey;
  readonly app: TestApp;
}

/**
 * For one test file: an SMN simulator process, a JWKS server with one signing key, and the app on
 * port 0 verifying tokens from it, all stopped after the file.
 */
export function useAuthStack(env: Record<string, string> = {}): AuthStack {
  const stack = {} as { -readonly [K in keyof AuthStack]: AuthStack[K] };
  beforeAll(async () => {
    stack.simulator = await startSimulatorProcess();
    stack.key = await makeKey('key-1');
    stack.jwks = await startJwksServer([stack.key]);
    stack.app = await startApp(envFor(stack.simulator, authEnv(stack.jwks, env)));
  });
  afterAll(async () => {
    await stack.app?.close();
    await stack.jwks?.stop();
    await stack.simulator?.stop();
  });
  return stack;
}
