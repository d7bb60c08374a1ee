import { spawn } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { PublishPromotionSmsDocument } from '../../client/generated.js';
import { startAppProcess } from '../helpers/app-process.js';
import { execute } from '../helpers/graphql.js';
import { promotionInput } from '../helpers/inputs.js';
import { useStack, withApp } from '../helpers/stack.js';

/** The real entry point with exactly `env`: its exit code and what it wrote to stderr and stdout. */
async function runEntry(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
  child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { exitCode, stderr, stdout };
}

describe('production never silently falls back to the simulator (issue 24, item 6)', () => {
  it('NODE_ENV=production with every SMN_* variable missing exits 1, naming the missing variables', async () => {
    // A secret that failed to mount: the image's environment with no SMN settings at all.
    const { exitCode, stderr, stdout } = await runEntry({ NODE_ENV: 'production', PORT: '0', HOST: '0.0.0.0' });
    expect(exitCode).toBe(1);
    for (const name of ['SMN_REGION', 'SMN_ENDPOINT', 'SMN_PROJECT_ID', 'HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK']) {
      expect(stderr).toContain(name);
    }
    expect(stderr).toContain('SMN_MODE=simulator');
    expect(stdout).not.toContain('smn-gateway listening');
  });

  it('names only the missing ones, never a value, when part of the secret mounted', async () => {
    const { exitCode, stderr } = await runEntry({
      NODE_ENV: 'production',
      PORT: '0',
      SMN_REGION: 'cn-north-4',
      HUAWEICLOUD_SDK_SK: 'the-mounted-secret-key',
    });
    expect(exitCode).toBe(1);
    expect(stderr).toContain('SMN_PROJECT_ID is required');
    expect(stderr).toContain('HUAWEICLOUD_SDK_AK is required');
    expect(stderr).not.toContain('the-mounted-secret-key');
  });

  it('with SMN_MODE=simulator (as compose sets it) production starts against the simulator, and says so', async () => {
    const app = await startAppProcess({ NODE_ENV: 'production', SMN_MODE: 'simulator' });
    try {
      const result = await execute(app.graphqlUrl, PublishPromotionSmsDocument, {
        input: promotionInput({ endpoints: ['+8613812345678'] }),
      });
      expect(result.data?.publishPromotionSms.sentCount).toBe(1);
      expect(app.lines.some((line) => line.includes('No real SMS will be sent'))).toBe(true);
    } finally {
      expect(await app.kill('SIGTERM')).toBe(0);
    }
  });
});

/** This machine's first address that is not loopback: reachable only when the service listens beyond loopback. */
const external = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && !address.internal && address.family === 'IPv4')?.address;

/** Whether an HTTP request to the app's port on `host` is answered (false when the connection is refused). */
async function answersOn(host: string, url: string): Promise<boolean> {
  const port = new URL(url).port;
  try {
    const response = await fetch(`http://${host}:${port}/healthz`, { signal: AbortSignal.timeout(5_000) });
    return response.ok;
  } catch {
    return false;
  }
}

const unauthenticatedWarning = (lines: readonly string[]) =>
  lines.some((line) => line.includes('"level":40') && line.includes('no authentication') && line.includes('HOST'));

describe.runIf(external)(
  'HOST: an unauthenticated API listens on loopback unless told otherwise (issue 24, item 12)',
  () => {
    const stack = useStack({ app: false });
    const authenticated = useStack({ app: false, auth: true });

    it('AUTH_DISABLED=true without HOST: 127.0.0.1 answers, the machine’s other interfaces do not', async () => {
      await withApp({ ...stack.env(), HOST: undefined }, async (app) => {
        expect(await answersOn('127.0.0.1', app.url)).toBe(true);
        expect(await answersOn(external!, app.url)).toBe(false);
        expect(unauthenticatedWarning(app.logs.lines)).toBe(false);
      });
    });

    it('nothing configured at all (the zero-configuration simulator): loopback only too', async () => {
      await withApp({ HOST: undefined }, async (app) => {
        expect(await answersOn('127.0.0.1', app.url)).toBe(true);
        expect(await answersOn(external!, app.url)).toBe(false);
      });
    });

    it('an explicit HOST=0.0.0.0 wins, and an unauthenticated API on every interface is warned about', async () => {
      await stack.withApp({ HOST: '0.0.0.0' }, async (app) => {
        expect(await answersOn(external!, app.url)).toBe(true);
        expect(unauthenticatedWarning(app.logs.lines)).toBe(true);
      });
    });

    it('with bearer-token auth the default stays 0.0.0.0 (the image), with no warning', async () => {
      await withApp({ ...authenticated.env(), HOST: undefined }, async (app) => {
        expect(await answersOn(external!, app.url)).toBe(true);
        expect(unauthenticatedWarning(app.logs.lines)).toBe(false);
      });
    });
  },
);
