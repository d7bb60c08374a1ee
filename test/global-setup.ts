import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ERROR_CODES, type ErrorCode } from '../src/error-codes.js';
import { SEEN_CODES_FILE, type SeenCode } from './helpers/error-code-recorder.js';

declare module 'vitest' {
  export interface ProvidedContext {
    seenCodesDirectory: string;
  }
}

/** Codes the registry lists that no test produced with their documented HTTP status. */
export function unproducedCodes(seen: readonly SeenCode[]): string[] {
  return Object.entries(ERROR_CODES)
    .filter(([code, info]) => !seen.some((entry) => entry.code === code && entry.status === info.httpStatus))
    .map(([code, info]) => {
      const statuses = [...new Set(seen.filter((entry) => entry.code === code).map((entry) => entry.status))];
      return `${code as ErrorCode} (documented HTTP ${info.httpStatus}; seen: ${statuses.join(', ') || 'never'})`;
    });
}

/**
 * Builds the playground bundle (esbuild, under a second) so the tests serve what `npm run build` would;
 * and, after a run of the whole suite, fails it unless every code in the error registry was answered
 * by some test with the HTTP status docs/api.md documents for it.
 */
export default function setup(project: TestProject): () => void {
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build-playground.ts'], { stdio: 'inherit' });
  const directory = mkdtempSync(join(tmpdir(), 'smn-gateway-codes-'));
  project.provide('seenCodesDirectory', directory);
  return () => {
    let text = '';
    try {
      text = readFileSync(join(directory, SEEN_CODES_FILE), 'utf8');
    } catch {
      // no error answers were seen at all
    }
    rmSync(directory, { recursive: true, force: true });
    // Only a whole, green run can tell: a filtered run produces only some codes, a failed one says why.
    const ran = project.vitest.state.getFiles();
    const ranFiles = new Set(ran.map((file) => file.filepath));
    const allFiles = readdirSync('test', { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.test.ts'))
      .map((file) => resolve('test', file));
    const whole = allFiles.every((file) => ranFiles.has(file)) && !project.vitest.config.testNamePattern;
    const green = ran.every((file) => file.result?.state === 'pass');
    if (!whole || !green) return;
    const seen = text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as SeenCode);
    const missing = unproducedCodes(seen);
    if (missing.length > 0) {
      // A teardown's exception is only printed by Vitest; the exit code is what CI reads.
      console.error(
        `\nFAIL error codes no test produced with their documented HTTP status:\n  ${missing.join('\n  ')}\n`,
      );
      process.exitCode = 1;
      return;
    }
    const codes = Object.keys(ERROR_CODES).length;
    console.log(`\nerror codes: all ${codes} answered to some test with their documented HTTP status\n`);
  };
}
