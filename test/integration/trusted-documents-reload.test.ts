import { spawn } from 'node:child_process';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { startAppProcess } from '../helpers/app-process.js';
import { useStack } from '../helpers/stack.js';
import { apolloManifest, postBody, sha256, useManifestFolder, writeManifest } from '../helpers/trusted-documents.js';

const stack = useStack({ app: false });
const folder = useManifestFolder();

const LIMITS = 'query Limits { promotionSmsLimits { maxEndpoints } }';
const CATALOG = 'query Signs { smsSigns { id } }';
const LIMITS_DATA = { promotionSmsLimits: { maxEndpoints: expect.any(Number) } };

beforeAll(async () => {
  await folder.ready;
});

/** Starts src/main.ts and resolves with its exit code and what it wrote to stderr. */
function startRefused(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, ...stack.env({ PORT: '0', HOST: '127.0.0.1', ...env }) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('a manifest that cannot be used refuses the start, naming the entry', () => {
  it('an id that is not the SHA-256 of its body', async () => {
    const file = await writeManifest(
      folder.path('wrong-hash.json'),
      apolloManifest([
        { name: 'Limits', body: LIMITS },
        { name: 'Signs', body: CATALOG, id: sha256(LIMITS) },
      ]),
    );
    const { code, stderr } = await startRefused({ TRUSTED_DOCUMENTS: 'require', TRUSTED_DOCUMENTS_MANIFEST: file });
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}: operations[1] ("Signs"): id "${sha256(LIMITS)}" is not the SHA-256 of its body`);
  });

  it('a document that does not validate against the schema', async () => {
    const invalid = 'query Nope { promotionSmsLimits { noSuchField } }';
    const file = await writeManifest(folder.path('invalid.json'), apolloManifest([{ name: 'Nope', body: invalid }]));
    const { code, stderr } = await startRefused({ TRUSTED_DOCUMENTS: 'allow', TRUSTED_DOCUMENTS_MANIFEST: file });
    expect(code).toBe(1);
    expect(stderr).toContain(`${file}: operation "Nope", id ${sha256(invalid)}: does not validate against the schema`);
    expect(stderr).toContain('Cannot query field "noSuchField"');
  });

  it('an unknown mode or a missing file', async () => {
    const mode = await startRefused({ TRUSTED_DOCUMENTS: 'strict' });
    expect(mode.code).toBe(1);
    expect(mode.stderr).toContain('TRUSTED_DOCUMENTS');
    const missing = await startRefused({
      TRUSTED_DOCUMENTS: 'require',
      TRUSTED_DOCUMENTS_MANIFEST: folder.path('no-such-file.json'),
    });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no-such-file.json: cannot be read (ENOENT)');
  });
});

describe('reloading the manifests without a restart', () => {
  it('SIGHUP loads a changed manifest; a bad one keeps the documents it had, and it keeps serving', async () => {
    const file = await writeManifest(folder.path('sighup.json'), apolloManifest([{ name: 'Limits', body: LIMITS }]));
    const service = await startAppProcess(
      stack.env({
        TRUSTED_DOCUMENTS: 'require',
        TRUSTED_DOCUMENTS_MANIFEST: file,
        // Only the signal reloads here: the file is not watched in this test's time.
        TRUSTED_DOCUMENTS_WATCH_INTERVAL_MS: '600000',
      }),
    );
    try {
      const catalog = () => postBody(service.graphqlUrl, { documentId: sha256(CATALOG) });
      expect((await catalog()).errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');

      await writeManifest(
        file,
        apolloManifest([
          { name: 'Limits', body: LIMITS },
          { name: 'Signs', body: CATALOG },
        ]),
      );
      service.signal('SIGHUP');
      await vi.waitFor(async () => expect((await catalog()).status).toBe(200), { timeout: 10_000, interval: 50 });

      await writeManifest(file, apolloManifest([{ name: 'Signs', body: CATALOG, id: sha256(LIMITS) }]));
      service.signal('SIGHUP');
      await vi.waitFor(
        () => expect(service.lines.some((line) => line.includes('trusted documents not reloaded'))).toBe(true),
        { timeout: 10_000, interval: 50 },
      );
      expect((await catalog()).status).toBe(200);
      expect(await postBody(service.graphqlUrl, { documentId: sha256(LIMITS) })).toEqual({
        status: 200,
        data: LIMITS_DATA,
      });
      const metrics = await (await fetch(service.graphqlUrl.replace(/\/graphql$/, '/metrics'))).text();
      expect(metrics).toMatch(/^smn_gateway_trusted_documents_reloads_total\{result="ok"\} 1$/m);
      expect(metrics).toMatch(/^smn_gateway_trusted_documents_reloads_total\{result="failed"\} 1$/m);
      expect(metrics).toMatch(/^smn_gateway_trusted_documents 2$/m);
    } finally {
      // Still running after two SIGHUPs: it stops on SIGTERM as always.
      expect(await service.kill('SIGTERM')).toBe(0);
    }
  });

  it('a manifest file that changes is reloaded by itself', async () => {
    const file = await writeManifest(folder.path('watched.json'), apolloManifest([{ name: 'Limits', body: LIMITS }]));
    await stack.withApp(
      { TRUSTED_DOCUMENTS: 'require', TRUSTED_DOCUMENTS_MANIFEST: file, TRUSTED_DOCUMENTS_WATCH_INTERVAL_MS: '100' },
      async (app) => {
        const catalog = () => postBody(app.graphqlUrl, { documentId: sha256(CATALOG) });
        expect((await catalog()).status).toBe(400);
        await writeManifest(file, apolloManifest([{ name: 'Signs', body: CATALOG }]));
        await vi.waitFor(async () => expect((await catalog()).status).toBe(200), { timeout: 10_000, interval: 50 });
        // Replaced as a whole: what the new file no longer lists is refused.
        expect((await postBody(app.graphqlUrl, { documentId: sha256(LIMITS) })).status).toBe(400);
      },
    );
  });
});
