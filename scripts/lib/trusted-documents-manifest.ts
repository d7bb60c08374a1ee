// The service's own trusted-document manifest: every operation of the typed client (client/generated.ts,
// generated from operations/*.graphql), in Apollo's persisted-query manifest format, each body exactly
// the text the client hashes and falls back to (graphql-js `print`), each id its SHA-256.
import { Kind, print, type DocumentNode, type OperationTypeNode } from 'graphql';
import { documentIdOf } from '../../client/document-id.js';
import * as generated from '../../client/generated.js';

export interface ManifestOperation {
  readonly id: string;
  readonly name: string;
  readonly type: `${OperationTypeNode}`;
  readonly body: string;
}

export interface ApolloManifest {
  readonly format: 'apollo-persisted-query-manifest';
  readonly version: 1;
  readonly operations: readonly ManifestOperation[];
}

function isDocument(value: unknown): value is DocumentNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === Kind.DOCUMENT;
}

/** The manifest entry of one exported document, or undefined for a fragment-only one. */
async function entryOf(exported: string, document: DocumentNode): Promise<ManifestOperation | undefined> {
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (operations.length === 0) return undefined;
  const [operation] = operations;
  if (operations.length > 1 || !operation?.name) {
    throw new Error(`client/generated.ts: ${exported} must hold exactly one named operation`);
  }
  return {
    id: await documentIdOf(document),
    name: operation.name.value,
    type: operation.operation,
    body: print(document),
  };
}

/**
 * Apollo's manifest (`{"format":"apollo-persisted-query-manifest","version":1,"operations":[...]}`) of
 * every `...Document` export of client/generated.ts that holds an operation (fragment-only exports are
 * skipped), sorted by operation name: the same input gives the same file.
 */
export async function projectManifest(): Promise<ApolloManifest> {
  const entries = await Promise.all(
    Object.entries(generated)
      .filter(([exported, value]) => exported.endsWith('Document') && isDocument(value))
      .map(([exported, value]) => entryOf(exported, value as DocumentNode)),
  );
  const operations = entries.filter((entry) => entry !== undefined);
  operations.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (let i = 1; i < operations.length; i += 1) {
    if (operations[i]!.name === operations[i - 1]!.name) {
      throw new Error(`client/generated.ts: two operations are named ${operations[i]!.name}`);
    }
  }
  return { format: 'apollo-persisted-query-manifest', version: 1, operations };
}

/** The manifest as the build writes it (two-space JSON, trailing newline). */
export function manifestText(manifest: ApolloManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
