import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManifestError, manifestEntries, readManifests } from '../../src/graphql/trusted-documents/manifest.js';
import {
  apolloManifest,
  clientPresetManifest,
  sha256,
  useManifestFolder,
  writeManifest,
} from '../helpers/trusted-documents.js';

const LIMITS = 'query Limits { promotionSmsLimits { maxEndpoints } }';
const CATALOG = 'query Signs { smsSigns { id } }';
const folder = useManifestFolder();

describe('manifests in the two formats clients produce', () => {
  it("reads Apollo's persisted-query manifest: id, name and body of each operation", () => {
    const entries = manifestEntries('a.json', apolloManifest([{ name: 'Limits', body: LIMITS }]));
    expect(entries).toEqual([{ id: sha256(LIMITS), name: 'Limits', body: LIMITS, file: 'a.json' }]);
  });

  it("reads the client preset's persisted documents, keyed by SHA-256 or by its default SHA-1", () => {
    expect(manifestEntries('p.json', clientPresetManifest([LIMITS]))).toEqual([
      { id: sha256(LIMITS), name: undefined, body: LIMITS, file: 'p.json' },
    ]);
    const sha1 = createHash('sha1').update(CATALOG).digest('hex');
    expect(manifestEntries('p.json', JSON.stringify({ [sha1]: CATALOG }))[0]?.id).toBe(sha1);
  });

  it('refuses an id that is not the hash of its body, naming the file, entry and operation', () => {
    const wrong = apolloManifest([
      { name: 'Limits', body: LIMITS },
      { name: 'Catalog', body: CATALOG, id: sha256(LIMITS) },
    ]);
    expect(() => manifestEntries('a.json', wrong)).toThrow(
      new ManifestError(`a.json: operations[1] ("Catalog"): id "${sha256(LIMITS)}" is not the SHA-256 of its body`),
    );
    const preset = JSON.stringify({ [sha256(LIMITS)]: CATALOG });
    expect(() => manifestEntries('p.json', preset)).toThrow(/p\.json: ".*": the id is not the SHA-256 of its document/);
    // 40 hex characters are checked as SHA-1, anything else as SHA-256.
    expect(() => manifestEntries('p.json', JSON.stringify({ ['0'.repeat(40)]: LIMITS }))).toThrow(
      /the id is not the SHA-1 of its document/,
    );
    expect(() => manifestEntries('p.json', JSON.stringify({ short: LIMITS }))).toThrow(ManifestError);
  });

  it('refuses what is not a manifest: not JSON, another format or version, entries without text', () => {
    expect(() => manifestEntries('x.json', '{')).toThrow(/x\.json: not JSON/);
    expect(() => manifestEntries('x.json', '[]')).toThrow(/a manifest is a JSON object/);
    expect(() => manifestEntries('x.json', JSON.stringify({ format: 'relay' }))).toThrow(/unknown manifest format/);
    const v2 = JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 2, operations: [] });
    expect(() => manifestEntries('x.json', v2)).toThrow(/version 1/);
    const noBody = JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: [{ id: 'a' }] });
    expect(() => manifestEntries('x.json', noBody)).toThrow(/operations\[0\] must have a string "id" and "body"/);
    expect(() => manifestEntries('x.json', JSON.stringify({ [sha256(LIMITS)]: 42 }))).toThrow(/document's text/);
  });

  it('merges files; the same id twice is fine with the same text and refused with another', async () => {
    await folder.ready;
    const one = await writeManifest(folder.path('one.json'), apolloManifest([{ name: 'Limits', body: LIMITS }]));
    const two = await writeManifest(folder.path('two.json'), clientPresetManifest([LIMITS, CATALOG]));
    expect((await readManifests([one, two])).map((entry) => entry.body)).toEqual([LIMITS, CATALOG]);

    const clash = await writeManifest(
      folder.path('clash.json'),
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [
          { id: sha256(LIMITS), name: 'Limits', type: 'query', body: LIMITS },
          { id: sha256(LIMITS), name: 'Limits', type: 'query', body: `${LIMITS} ` },
        ],
      }),
    );
    // The second entry's id fails its own hash check first: a clash needs two valid entries.
    await expect(readManifests([clash])).rejects.toThrow(/is not the SHA-256 of its body/);
    await expect(readManifests([folder.path('missing.json')])).rejects.toThrow(
      /missing\.json: cannot be read \(ENOENT\)/,
    );
  });
});
