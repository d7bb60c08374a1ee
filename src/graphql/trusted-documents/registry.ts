import { unwatchFile, watchFile } from 'node:fs';
import {
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { Logger } from 'pino';
import type { DocumentCompiler } from '../compiled-execution.js';
import { ManifestError, readManifests, sha256Hex, type ManifestEntry } from './manifest.js';

/** A document a client listed at build time, parsed, validated and (when compiling) compiled once, at load. */
export interface TrustedDocument {
  /** The id as listed (the hash clients send). */
  readonly id: string;
  readonly name: string | undefined;
  readonly body: string;
  /** The SHA-256 (hex) of the body. */
  readonly sha256: string;
  readonly document: DocumentNode;
}

/** The documents loaded now: looked up by the id a client sends, or by the SHA-256 of a text sent in full. */
export interface TrustedDocumentSet {
  readonly size: number;
  byId(id: string): TrustedDocument | undefined;
  /** By the SHA-256 (hex) of the document's text: also Apollo's query hash, its document cache's key. */
  bySha256(hash: string): TrustedDocument | undefined;
}

const EMPTY: TrustedDocumentSet = { size: 0, byId: () => undefined, bySha256: () => undefined };

/** Where an entry came from, for messages. */
function place(entry: ManifestEntry): string {
  return `${entry.file}: ${entry.name === undefined ? '' : `operation ${JSON.stringify(entry.name)}, `}id ${entry.id}`;
}

/**
 * Parses and validates each entry against the schema with the rules every request meets (graphql-js's
 * and the API's: depth, aliases, one send per operation, the introspection gate), then compiles each
 * of its operations. A document that does not parse or validate refuses the whole set, naming it.
 */
export function trustedDocumentSet(
  entries: readonly ManifestEntry[],
  check: { schema: GraphQLSchema; rules: readonly ValidationRule[]; compiler: DocumentCompiler | undefined },
): TrustedDocumentSet {
  const byId = new Map<string, TrustedDocument>();
  const bySha256 = new Map<string, TrustedDocument>();
  const rules = [...specifiedRules, ...check.rules];
  for (const entry of entries) {
    let document: DocumentNode;
    try {
      document = parse(entry.body);
    } catch (error) {
      throw new ManifestError(`${place(entry)}: does not parse (${(error as Error).message})`);
    }
    const [invalid] = validate(check.schema, document, rules);
    if (invalid) throw new ManifestError(`${place(entry)}: does not validate against the schema (${invalid.message})`);
    const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
    if (operations.length === 0) throw new ManifestError(`${place(entry)}: has no operation`);
    if (check.compiler) {
      check.compiler.vouchFor(document);
      for (const operation of operations) check.compiler.compiledFor(document, operation.name?.value ?? null);
    }
    const sha256 = sha256Hex(entry.body);
    const trusted: TrustedDocument = { id: entry.id, name: entry.name, body: entry.body, sha256, document };
    byId.set(entry.id, trusted);
    bySha256.set(sha256, trusted);
  }
  return {
    size: byId.size,
    byId: (id) => byId.get(id),
    bySha256: (hash) => bySha256.get(hash),
  };
}

export interface TrustedDocumentsOptions {
  readonly manifests: readonly string[];
  readonly schema: GraphQLSchema;
  readonly rules: readonly ValidationRule[];
  readonly compiler: DocumentCompiler | undefined;
  readonly logger: Logger;
  readonly watchIntervalMs: number;
  /** Counts each reload: `ok`, or `failed` (the documents loaded before stay). */
  readonly reloaded?: (result: 'ok' | 'failed') => void;
}

/** The trusted documents of a running service: the set now, and how it is replaced. */
export interface TrustedDocuments {
  current(): TrustedDocumentSet;
  /** Reads the manifests again; a manifest that cannot be used keeps the documents loaded before. */
  reload(): Promise<boolean>;
  /** Reloads whenever a manifest file changes (its size or modification time), until stopped. */
  watch(): () => void;
}

/**
 * Loads the manifests once (a bad one refuses the start: the error names the file and entry), then
 * swaps in a whole new set on each reload. Reloads run one at a time, in order; a failed one is
 * logged and counted and the service goes on with the set it had.
 */
export async function loadTrustedDocuments(options: TrustedDocumentsOptions): Promise<TrustedDocuments> {
  const load = async () => trustedDocumentSet(await readManifests(options.manifests), options);
  let set = options.manifests.length > 0 ? await load() : EMPTY;
  const log = options.logger.child({ component: 'trusted-documents' });
  log.info({ documents: set.size, manifests: options.manifests }, 'trusted documents loaded');
  let queue: Promise<boolean> = Promise.resolve(true);

  const reloadOnce = async (): Promise<boolean> => {
    try {
      const next = await load();
      set = next;
      options.reloaded?.('ok');
      log.info({ documents: next.size }, 'trusted documents reloaded');
      return true;
    } catch (error) {
      options.reloaded?.('failed');
      const reason = error instanceof ManifestError || error instanceof GraphQLError ? error.message : String(error);
      log.error({ reason, documents: set.size }, 'trusted documents not reloaded; the documents loaded before stay');
      return false;
    }
  };

  const documents: TrustedDocuments = {
    current: () => set,
    reload() {
      queue = queue.then(reloadOnce);
      return queue;
    },
    watch() {
      const changed = (now: { mtimeMs: number; size: number }, before: { mtimeMs: number; size: number }) => {
        if (now.mtimeMs !== before.mtimeMs || now.size !== before.size) void documents.reload();
      };
      for (const file of options.manifests) watchFile(file, { interval: options.watchIntervalMs }, changed);
      return () => {
        for (const file of options.manifests) unwatchFile(file, changed);
      };
    },
  };
  return documents;
}
