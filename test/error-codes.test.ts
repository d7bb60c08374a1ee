import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CLIENT_ERROR_CODES, SmsFailedCode, SmsGatewayErrorCode } from '../client/index.js';
import { ERROR_CODES, RESULT_CODES } from '../src/error-codes.js';

const registry = Object.keys(ERROR_CODES).sort();

describe('the error-code registry', () => {
  it('is what the typed client knows, no more, no less, beside the codes the client gives itself', () => {
    const known = [...new Set(Object.values(SmsGatewayErrorCode))];
    expect(known.filter((code) => !CLIENT_ERROR_CODES.includes(code)).sort()).toEqual(registry);
    // The client's own codes are never the service's: the service cannot send one, nor ever start to.
    expect(CLIENT_ERROR_CODES.filter((code) => registry.includes(code))).toEqual([]);
    expect(CLIENT_ERROR_CODES.every((code) => known.includes(code))).toBe(true);
  });

  it("is what docs/api.md's error table lists, no more, no less", async () => {
    const api = await readFile(new URL('../docs/api.md', import.meta.url), 'utf8');
    const table = api.split('## Error codes')[1]?.split('\n## ')[0] ?? '';
    const documented = new Set([...table.matchAll(/^\| `([A-Z][A-Z_]+)`/gm)].map((match) => match[1]!));
    expect([...documented].sort()).toEqual(registry);
  });

  it("the service's own SmsFailed codes match the client's SmsFailedCode and docs/api.md", async () => {
    const results = Object.keys(RESULT_CODES).sort();
    expect(Object.values(SmsFailedCode).sort()).toEqual(results);
    const api = await readFile(new URL('../docs/api.md', import.meta.url), 'utf8');
    const table = api.split('## SmsFailed codes')[1]?.split('\n## ')[0] ?? '';
    expect([...table.matchAll(/^\| `([A-Z][A-Z_]+)`/gm)].map((match) => match[1]!).sort()).toEqual(results);
  });

  it('has no code used as a string literal outside the registry', async () => {
    const { execFileSync } = await import('node:child_process');
    const sources = execFileSync('git', ['ls-files', 'src'], { encoding: 'utf8' })
      .split('\n')
      .filter((file) => file.endsWith('.ts') && file !== 'src/error-codes.ts');
    const offenders: string[] = [];
    for (const file of sources) {
      const text = await readFile(file, 'utf8');
      for (const code of [...registry, ...Object.keys(RESULT_CODES)]) {
        if (text.includes(`'${code}'`)) offenders.push(`${file}: ${code}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
