import { readFile, writeFile } from 'node:fs/promises';

/**
 * Writes a measured table into bench/RESULTS.md between `<!-- name:start -->` and `<!-- name:end -->`,
 * keeping the analysis around it; a section not there yet is appended under `heading`.
 */
export async function writeResults(name: string, table: string, heading: string): Promise<void> {
  const file = new URL('../RESULTS.md', import.meta.url);
  const previous = await readFile(file, 'utf8').catch(() => '');
  const [before, rest] = previous.split(`<!-- ${name}:start -->`);
  const after = rest?.split(`<!-- ${name}:end -->`)[1];
  const measured = `<!-- ${name}:start -->\n${table}\n<!-- ${name}:end -->`;
  await writeFile(
    file,
    rest === undefined
      ? `${previous.trimEnd()}\n\n## ${heading}\n\n${measured}\n`
      : `${before}${measured}${after ?? '\n'}`,
  );
}
