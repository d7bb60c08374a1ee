import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const DOCUMENTS = [
  'README.md',
  ...['api', 'operations', 'security', 'federation', 'simulator', 'architecture', 'development'].map(
    (name) => `docs/${name}.md`,
  ),
  'bench/RESULTS.md',
];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const headings = [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((match) => match[1]!);
  return new Set(
    headings.map((heading) =>
      heading
        .toLowerCase()
        .replace(/[`*_]/g, '')
        .replace(/[^\p{L}\p{N} -]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

/** Relative links `[text](target)`, without code spans and fenced blocks. */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z]+:/i.test(target));
}

describe('links in the README and docs/', () => {
  it('every document exists, and the README links to each of docs/', () => {
    for (const document of DOCUMENTS) expect(existsSync(join(ROOT, document)), document).toBe(true);
    const fromReadme = links(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    for (const document of DOCUMENTS.filter((name) => name.startsWith('docs/'))) expect(fromReadme).toContain(document);
  });

  it.each(DOCUMENTS)('%s: every relative link resolves inside the repository, anchors included', (document) => {
    const text = readFileSync(join(ROOT, document), 'utf8');
    const broken: string[] = [];
    for (const target of links(text)) {
      const [path = '', anchor] = target.split('#');
      const file = path === '' ? join(ROOT, document) : resolve(dirname(join(ROOT, document)), path);
      if (relative(ROOT, file).startsWith('..')) broken.push(`${target} (outside the repository)`);
      else if (!existsSync(file)) broken.push(`${target} (no such file)`);
      else if (anchor && file.endsWith('.md') && !anchors(readFileSync(file, 'utf8')).has(anchor)) {
        broken.push(`${target} (no such heading)`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('the README stays a front page', () => {
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8').split('\n').length).toBeLessThanOrEqual(150);
  });
});
