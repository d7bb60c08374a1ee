/**
 * A document's trusted-document id: the SHA-256 (hex) of graphql-js's `print` of it, the text the
 * client sends when it falls back to the full document and the body the service's manifest lists
 * (`npm run build` writes dist/trusted-documents.json from the same function). Web Crypto and
 * TextEncoder only, so it runs in browsers and Node 20 alike.
 */
import { Kind, print, type DocumentNode } from 'graphql';

const ids = new WeakMap<DocumentNode, Promise<string>>();

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

async function sha256Hex(text: string): Promise<string> {
  return hex(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}

/** The SHA-256 (hex, no `sha256:` prefix) of `print(document)`, computed once per document object. */
export function documentIdOf(document: DocumentNode): Promise<string> {
  let id = ids.get(document);
  if (!id) {
    id = sha256Hex(print(document));
    ids.set(document, id);
    // A digest that failed is not remembered: the next call tries again.
    id.catch(() => ids.delete(document));
  }
  return id;
}

/** The name of the document's operation, when it has one (generated documents always do). */
export function operationNameOf(document: DocumentNode): string | undefined {
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) return definition.name?.value;
  }
  return undefined;
}
