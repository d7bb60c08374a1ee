import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
// The data eslint.config.js builds its boundaries rule from (eslint-plugin-boundaries, disallow by default).
import { allowedImports, everywhere, importsOf, layers, typeOnlyImports } from '../eslint.layers.js';

const all = layers.map((layer) => layer.name);
const allowed = allowedImports;
const typeOnly = typeOnlyImports;

interface Row {
  readonly mayImport: string[];
  /** Those marked "(types only": import type, nothing else. */
  readonly typesOnly: string[];
}

/** The folder table in docs/architecture.md: each row's layer and the layers its "may import" names. */
async function documentedTable(): Promise<Map<string, Row>> {
  const doc = await readFile(new URL('../docs/architecture.md', import.meta.url), 'utf8');
  const section = doc.split('## Folders, and what each may import')[1]?.split('\n## ')[0] ?? '';
  const rows = new Map<string, Row>();
  for (const line of section.split('\n')) {
    if (!line.startsWith('| `')) continue;
    const [folder = '', , mayImport = ''] = line.split('|').slice(1, -1);
    const name = /`([^`]+)`/.exec(folder)![1]!.replace(/^src\//, '');
    const named = [...mayImport.matchAll(/`([^`]+)`( \(types only)?/g)];
    rows.set(name, {
      mayImport: mayImport.trim() === 'everything' ? [...all] : named.map((match) => match[1]!),
      typesOnly: named.filter((match) => match[2]).map((match) => match[1]!),
    });
  }
  return rows;
}

async function sourceFiles(dir = 'src'): Promise<string[]> {
  const entries = await readdir(new URL(`../${dir}`, import.meta.url), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? sourceFiles(`${dir}/${entry.name}`) : Promise.resolve([`${dir}/${entry.name}`]),
    ),
  );
  return nested.flat().filter((file) => file.endsWith('.ts'));
}

function layerOf(file: string): string | undefined {
  return layers.find((layer) => (layer.folder ? file.startsWith(`${layer.folder}/`) : layer.files?.includes(file)))
    ?.name;
}

describe('the folder table in docs/architecture.md', () => {
  it('has one row per layer the lint rule knows, and no other', async () => {
    expect([...(await documentedTable()).keys()].sort()).toEqual([...all].sort());
  });

  it('states exactly the imports the lint rule allows each layer', async () => {
    const table = await documentedTable();
    for (const name of all) {
      const row = table.get(name);
      expect({ name, mayImport: row?.mayImport.sort(), typesOnly: row?.typesOnly.sort() }).toEqual({
        name,
        mayImport: [...(allowed[name] ?? [])].sort(),
        typesOnly: [...(typeOnly[name] ?? [])].sort(),
      });
    }
  });

  it('says which leaves every layer may also use', async () => {
    const doc = await readFile(new URL('../docs/architecture.md', import.meta.url), 'utf8');
    const preface = doc.split('## Folders, and what each may import')[1]?.split('\n| ')[0] ?? '';
    const sentence = /Every folder may also use (.+?), which/s.exec(preface)?.[1] ?? '';
    expect([...sentence.matchAll(/`([^`]+)`/g)].map((match) => match[1]).sort()).toEqual([...everywhere].sort());
  });
});

describe('the layers', () => {
  it('cover every source file, so a new folder cannot escape the rule', async () => {
    const outside = (await sourceFiles()).filter((file) => layerOf(file) === undefined);
    expect(outside).toEqual([]);
  });

  it('never let two layers import each other', () => {
    const mutual = Object.entries(allowed).flatMap(([from, imports]) =>
      imports.filter((to) => to !== from && from !== 'app.ts' && from !== 'wiring/' && allowed[to]?.includes(from)),
    );
    expect(mutual).toEqual([]);
  });

  it('name only layers that exist, and the leaves import nothing but leaves', () => {
    for (const [name, imports] of Object.entries(allowed)) {
      expect(all).toContain(name);
      for (const target of imports) expect(all).toContain(target);
    }
    for (const [name, imports] of Object.entries(typeOnly)) {
      for (const target of imports) expect(allowed[name]).toContain(target);
    }
    for (const leaf of everywhere) {
      expect(importsOf(leaf).every((target: string) => everywhere.includes(target))).toBe(true);
    }
  });
});
