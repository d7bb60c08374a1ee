import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PublishPromotionSmsDocument } from '../../client/generated.js';
import { withApp } from '../helpers/stack.js';
import { promotionInput } from '../helpers/inputs.js';
import { startAppProcess } from '../helpers/app-process.js';
import { execute } from '../helpers/graphql.js';
import { SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';

const INPUT = promotionInput({ endpoints: [SIMULATOR_NUMBERS.delivered, SIMULATOR_NUMBERS.noSuchNumber] });

describe('with no credentials: the embedded SMN simulator', () => {
  it('starts in-process, says so loudly, and serves the mutation', async () => {
    await withApp({}, async (app) => {
      expect(app.simulator).toBeDefined();
      const warning = app.logs.entries().find((e) => e.level === 40 && String(e.msg).includes('NO SMN CREDENTIALS'));
      expect(warning?.simulator).toBe(app.simulator?.url);
      const result = await execute(app.graphqlUrl, PublishPromotionSmsDocument, { input: INPUT });
      expect(result.data?.publishPromotionSms.results.map((r) => r.__typename)).toEqual(['SmsSent', 'SmsFailed']);
      expect(app.simulator?.received).toHaveLength(1);
    });
  });

  it('the real entry point serves on PORT and stops cleanly on SIGTERM', async () => {
    const app = await startAppProcess({});
    const result = await execute(app.graphqlUrl, PublishPromotionSmsDocument, { input: INPUT });
    expect(result.data?.publishPromotionSms.sentCount).toBe(1);
    expect(app.lines.some((line) => line.includes('NO SMN CREDENTIALS CONFIGURED'))).toBe(true);
    const exitCode = await app.kill('SIGTERM');
    expect(exitCode).toBe(0);
  });

  it('the entry point refuses to start with bad configuration and lists every problem', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, PORT: 'eighty', SMN_REGION: 'cn-north-4', SMN_TIMEOUT_MS: '-1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(exitCode).toBe(1);
    for (const name of ['PORT', 'SMN_TIMEOUT_MS', 'SMN_PROJECT_ID', 'HUAWEICLOUD_SDK_AK', 'HUAWEICLOUD_SDK_SK']) {
      expect(stderr).toContain(name);
    }
  });

  it('the entry point refuses to start with real SMN credentials and no authentication configured', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        SMN_REGION: 'cn-north-4',
        SMN_PROJECT_ID: 'p1',
        HUAWEICLOUD_SDK_AK: 'AK',
        HUAWEICLOUD_SDK_SK: 'a-secret-key',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString()));
    const exitCode = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/authentication is required with real SMN credentials/);
    expect(stderr).toContain('AUTH_JWKS_URL');
    expect(stderr).not.toContain('a-secret-key');
  });
});
