import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';

/** One document a manifest lists: its id as the client sends it, and its text. */
export interface ManifestEntry {
  readonly id: string;
  readonly body: string;
  /** The operation's name, when the manifest gives one (Apollo's format does). */
  readonly name: string | undefined;
  /** The file it came from, for messages. */
  readonly file: string;
}

/** A manifest that cannot be used; the message names the file and the entry. */
export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

export const APOLLO_MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function sha1Hex(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** An id or name cut to a length a message can carry (ids come from files, not callers, but still). */
function shown(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The entries of Apollo's `persisted-query-manifest.json`
 * (`{"format":"apollo-persisted-query-manifest","version":1,"operations":[{id,name,type,body}]}`):
 * each id must be the SHA-256 (hex) of its body, as Apollo's generator writes it.
 */
function apolloEntries(file: string, manifest: Record<string, unknown>): ManifestEntry[] {
  if (manifest.version !== 1) throw new ManifestError(`${file}: an Apollo manifest of version 1 is expected`);
  if (!Array.isArray(manifest.operations)) throw new ManifestError(`${file}: "operations" must be an array`);
  return manifest.operations.map((operation: unknown, index) => {
    const where = `${file}: operations[${index}]`;
    if (!isRecord(operation) || typeof operation.id !== 'string' || typeof operation.body !== 'string') {
      throw new ManifestError(`${where} must have a string "id" and "body"`);
    }
    const name = typeof operation.name === 'string' ? operation.name : undefined;
    const label = `${where}${name === undefined ? '' : ` (${shown(name)})`}`;
    if (operation.id !== sha256Hex(operation.body)) {
      throw new ManifestError(`${label}: id ${shown(operation.id)} is not the SHA-256 of its body`);
    }
    return { id: operation.id, body: operation.body, name, file };
  });
}

/**
 * The entries of GraphQL Code Generator's client-preset `persisted-documents.json`
 * (`{"<hash>": "<document>"}`): each key must be the SHA-256 of its document (`hashAlgorithm:
 * 'sha256'`), or its SHA-1, the preset's default hash when `persistedDocuments: true`.
 */
function clientPresetEntries(file: string, manifest: Record<string, unknown>): ManifestEntry[] {
  return Object.entries(manifest).map(([id, body]) => {
    const where = `${file}: ${shown(id)}`;
    if (typeof body !== 'string') throw new ManifestError(`${where} must map to the document's text`);
    const sha1 = id.length === 40;
    if (id !== (sha1 ? sha1Hex(body) : sha256Hex(body))) {
      throw new ManifestError(`${where}: the id is not the ${sha1 ? 'SHA-1' : 'SHA-256'} of its document`);
    }
    return { id, body, name: undefined, file };
  });
}

/** The entries of one manifest file, in either format, each id checked against its text. */
export function manifestEntries(file: string, text: string): ManifestEntry[] {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new ManifestError(`${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(manifest)) throw new ManifestError(`${file}: a manifest is a JSON object`);
  if ('format' in manifest) {
    if (manifest.format !== APOLLO_MANIFEST_FORMAT) {
      throw new ManifestError(`${file}: unknown manifest format (expected "${APOLLO_MANIFEST_FORMAT}")`);
    }
    return apolloEntries(file, manifest);
  }
  return clientPresetEntries(file, manifest);
}

/**
 * Every entry of the files, in order. One id may appear more than once only with the same text (two
 * clients sharing an operation); with another text the load is refused, naming both places.
 */
export async function readManifests(files: readonly string[]): Promise<ManifestEntry[]> {
  const byId = new Map<string, ManifestEntry>();
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new ManifestError(`${file}: cannot be read (${code})`);
    }
    for (const entry of manifestEntries(file, text)) {
      const earlier = byId.get(entry.id);
      if (earlier && earlier.body !== entry.body) {
        throw new ManifestError(
          `${entry.file}: id ${shown(entry.id)} is listed in ${earlier.file} with another document`,
        );
      }
      if (!earlier) byId.set(entry.id, entry);
    }
  }
  return [...byId.values()];
}
