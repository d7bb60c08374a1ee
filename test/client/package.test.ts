import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIMULATOR_NUMBERS } from '../../src/simulator/numbers.js';
import { useStack } from '../helpers/stack.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const clientFolder = join(root, 'client');
/** npm as a user runs it: none of the npm_* settings of the `npm test` / `npx vitest` that started us. */
const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
const linked = (name: string) => `file:${join(root, 'node_modules', name)}`;

const stack = useStack({ simulator: 'embedded' });
let folder = '';
let consumer = '';
let packed: { filename: string; files: Array<{ path: string }> };

/**
 * `npm pack` in client/ (its prepack builds dist/ with tsc), then `npm install` of the tarball into a
 * fresh project, offline: the peers (graphql, graphql-ws, ws for Node 20) and the one dependency come
 * from this repository's node_modules by file: paths, so no registry is asked.
 */
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'smn-client-package-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', folder], { cwd: clientFolder, env });
  packed = (JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<typeof packed>)[0]!;
  consumer = join(folder, 'consumer');
  await mkdir(consumer);
  const manifest = {
    name: 'consumer',
    private: true,
    type: 'module',
    dependencies: {
      '@smn-gateway/client': `file:${join(folder, packed.filename)}`,
      '@graphql-typed-document-node/core': linked('@graphql-typed-document-node/core'),
      graphql: linked('graphql'),
      'graphql-ws': linked('graphql-ws'),
      ws: linked('ws'),
    },
  };
  await writeFile(join(consumer, 'package.json'), JSON.stringify(manifest, null, 2));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: consumer, env });
}, 180_000);
afterAll(() => folder && rm(folder, { recursive: true, force: true }));

/** Plain Node ESM, no TypeScript, no bundler: what a service using the package runs. */
const PLAIN_NODE = `
import { sendPromotionSms, SmsGatewayErrorCode, verifyWebhook } from '@smn-gateway/client';
import { subscribeToDeliveries } from '@smn-gateway/client/subscriptions';
import { verifyWebhook as fromSubpath } from '@smn-gateway/client/webhooks';
import WebSocket from 'ws';

const [url, number] = process.argv.slice(2);
const sent = await sendPromotionSms({ endpoints: [number], smsTemplateId: 'tpl_package' }, { url });
const invalid = await sendPromotionSms({ endpoints: ['nope'], smsTemplateId: 'tpl_package' }, { url });
const refused = await new Promise((resolve) =>
  subscribeToDeliveries('no-such-request', { next: () => {}, error: resolve }, { url, webSocketImpl: WebSocket }),
);
console.log(JSON.stringify({
  sent: sent.ok ? sent.sent.map((result) => [result.__typename, result.endpoint]) : sent.error,
  invalid: invalid.ok ? 'ok' : invalid.error.code === SmsGatewayErrorCode.BadUserInput,
  refused: refused.code,
  webhooks: typeof verifyWebhook === 'function' && verifyWebhook === fromSubpath,
}));
`;

/** A TypeScript consumer under NodeNext resolution: the package's exports map and .d.ts files. */
const TYPED = `
import { sendPromotionSms, SmsGatewayErrorCode, type SmsGatewayError } from '@smn-gateway/client';
import { subscribeToCampaign, type PromotionCampaignUpdate } from '@smn-gateway/client/subscriptions';
import { verifyWebhook, type WebhookVerification } from '@smn-gateway/client/webhooks';

export async function send(url: string): Promise<string> {
  const result = await sendPromotionSms({ endpoints: ['+8613812345678'], smsTemplateId: 'tpl' }, { url });
  if (!result.ok) {
    const error: SmsGatewayError = result.error;
    return error.code === SmsGatewayErrorCode.UnexpectedResponse ? String(error.httpStatus) : error.message;
  }
  return result.sent.map((item) => item.messageId).join(',');
}
export const stop = subscribeToCampaign('c', { next: (update: PromotionCampaignUpdate) => update.status }, { url: 'ws://x' });
export const checked: Promise<WebhookVerification> = verifyWebhook('whsec_a2V5', new Headers(), '{}');
// @ts-expect-error: the package's types hold: a campaign update has no messageId.
export const wrong = (update: PromotionCampaignUpdate) => update.messageId;
`;

describe('the client as a package (npm pack, npm install of the tarball)', () => {
  it('holds the built JavaScript and its types, not the sources', () => {
    const paths = packed.files.map((file) => file.path).sort();
    for (const entry of ['index', 'subscriptions', 'webhooks']) {
      expect(paths).toContain(`dist/${entry}.js`);
      expect(paths).toContain(`dist/${entry}.d.ts`);
    }
    expect(paths).toContain('package.json');
    expect(paths.filter((path) => path.endsWith('.ts') && !path.endsWith('.d.ts'))).toEqual([]);
  });

  it('sends from plain Node ESM against the real service; typed errors from the installed package', async () => {
    const script = join(consumer, 'send.mjs');
    await writeFile(script, PLAIN_NODE);
    const { stdout } = await run(process.execPath, [script, stack.app.graphqlUrl, SIMULATOR_NUMBERS.delivered], {
      cwd: consumer,
      env,
    });
    expect(JSON.parse(stdout)).toEqual({
      sent: [['SmsSent', SIMULATOR_NUMBERS.delivered]],
      invalid: true,
      refused: 'BAD_USER_INPUT',
      webhooks: true,
    });
  });

  it('type-checks a TypeScript consumer against the installed .d.ts (NodeNext, strict)', async () => {
    await writeFile(join(consumer, 'consumer.ts'), TYPED);
    const tsconfig = {
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        types: [],
        skipLibCheck: true,
      },
      files: ['consumer.ts'],
    };
    await writeFile(join(consumer, 'tsconfig.json'), JSON.stringify(tsconfig));
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(run(process.execPath, [tsc, '-p', consumer], { cwd: consumer, env })).resolves.toBeDefined();
  });
});
