import { readFile } from 'node:fs/promises';
import { buildSchema, parse } from 'graphql';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import type * as GraphqlJit from 'graphql-jit';
import { apiValidationRules } from '../../src/graphql/operation-pipeline.js';
import { apolloManifest, sha256, useManifestFolder, writeManifest } from '../helpers/trusted-documents.js';

const compileQuery = vi.hoisted(() => ({ calls: 0 }));
vi.mock('graphql-jit', async (importOriginal) => {
  const original = await importOriginal<typeof GraphqlJit>();
  return {
    ...original,
    compileQuery: (...args: Parameters<typeof original.compileQuery>) => {
      compileQuery.calls += 1;
      return original.compileQuery(...args);
    },
  };
});
const { documentCompiler } = await import('../../src/graphql/compiled-execution.js');
const { loadTrustedDocuments, trustedDocumentSet } = await import('../../src/graphql/trusted-documents/registry.js');

const schema = buildSchema(await readFile(new URL('../../schema.graphql', import.meta.url), 'utf8'));
const rules = apiValidationRules({ introspection: true, maxDepth: 15, maxAliases: 15 });
const logger = pino({ level: 'silent' });
const folder = useManifestFolder();

const LIMITS = 'query Limits { promotionSmsLimits { maxEndpoints } }';
/** Writes a value literally: ad-hoc documents like it run on graphql-js, never compiled. */
const WITH_LITERAL = 'query Optouts { optOuts(endpoints: ["+8613912345678"]) { endpoint } }';

/** The documents of one manifest file, checked against the API schema, watched every 50 ms when watched. */
function loadFrom(file: string, options: { reloaded?: (result: 'ok' | 'failed') => void } = {}) {
  return loadTrustedDocuments({
    manifests: [file],
    schema,
    rules,
    compiler: undefined,
    logger,
    watchIntervalMs: 50,
    ...options,
  });
}

describe('a set of trusted documents', () => {
  it('is parsed, validated and compiled once, at load, literals included', () => {
    const compiler = documentCompiler(schema);
    const before = compileQuery.calls;
    const set = trustedDocumentSet(
      [
        { id: sha256(LIMITS), name: 'Limits', body: LIMITS, file: 'm.json' },
        { id: sha256(WITH_LITERAL), name: 'Optouts', body: WITH_LITERAL, file: 'm.json' },
      ],
      { schema, rules, compiler },
    );
    expect(compileQuery.calls - before).toBe(2);
    const listed = set.byId(sha256(WITH_LITERAL))!;
    expect(listed.sha256).toBe(sha256(WITH_LITERAL));
    expect(set.bySha256(sha256(WITH_LITERAL))).toBe(listed);
    // Compiled at load: asking again compiles nothing more, and the literal did not keep it off.
    expect(compiler.compiledFor(listed.document, 'Optouts')).toBeDefined();
    expect(compileQuery.calls - before).toBe(2);
    // The same text sent ad hoc (another parse) is not vouched for: graphql-js runs it.
    expect(compiler.compiledFor(parse(WITH_LITERAL), 'Optouts')).toBeUndefined();
  });

  it('refuses a document that does not validate against the schema, or breaks the API rules, naming it', () => {
    const unknownField = 'query Nope { promotionSmsLimits { noSuchField } }';
    expect(() =>
      trustedDocumentSet([{ id: sha256(unknownField), name: 'Nope', body: unknownField, file: 'm.json' }], {
        schema,
        rules,
        compiler: undefined,
      }),
    ).toThrow(`m.json: operation "Nope", id ${sha256(unknownField)}: does not validate against the schema`);
    const aliases = `query Many { ${Array.from({ length: 20 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    expect(() =>
      trustedDocumentSet([{ id: sha256(aliases), name: undefined, body: aliases, file: 'm.json' }], {
        schema,
        rules,
        compiler: undefined,
      }),
    ).toThrow(/does not validate.*Aliases limit of 15/);
    expect(() =>
      trustedDocumentSet([{ id: sha256('{'), name: undefined, body: '{', file: 'm.json' }], {
        schema,
        rules,
        compiler: undefined,
      }),
    ).toThrow(/does not parse/);
  });

  it('reloads as a whole; a bad manifest keeps the set it had and is counted', async () => {
    await folder.ready;
    const file = await writeManifest(folder.path('reload.json'), apolloManifest([{ name: 'Limits', body: LIMITS }]));
    const results: string[] = [];
    const documents = await loadFrom(file, { reloaded: (result) => results.push(result) });
    expect(documents.current().byId(sha256(LIMITS))).toBeDefined();

    await writeManifest(file, '{ "format": "apollo-persisted-query-manifest", "version": 1, "operations": [');
    expect(await documents.reload()).toBe(false);
    expect(documents.current().byId(sha256(LIMITS))).toBeDefined();

    await writeManifest(file, apolloManifest([{ name: 'Optouts', body: WITH_LITERAL }]));
    expect(await documents.reload()).toBe(true);
    expect(documents.current().byId(sha256(LIMITS))).toBeUndefined();
    expect(documents.current().byId(sha256(WITH_LITERAL))).toBeDefined();
    expect(results).toEqual(['failed', 'ok']);
  });

  it('reloads when a manifest file changes', async () => {
    await folder.ready;
    const file = await writeManifest(folder.path('watched.json'), apolloManifest([{ name: 'Limits', body: LIMITS }]));
    const documents = await loadFrom(file);
    const stop = documents.watch();
    try {
      await writeManifest(file, apolloManifest([{ name: 'Optouts', body: WITH_LITERAL }]));
      await vi.waitFor(() => expect(documents.current().byId(sha256(WITH_LITERAL))).toBeDefined(), {
        timeout: 5_000,
        interval: 25,
      });
    } finally {
      stop();
    }
  });

  it('refuses to start on a manifest it cannot use', async () => {
    await expect(loadFrom(folder.path('absent.json'))).rejects.toThrow(/absent\.json: cannot be read/);
  });
});
