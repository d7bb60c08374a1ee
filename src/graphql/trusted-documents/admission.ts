import { GraphQLError, Kind, parse, type DocumentNode } from 'graphql';
import type { Caller } from '../../auth/caller.js';
import type { TrustedDocumentsMode } from '../../config/types.js';
import { ErrorCode } from '../../error-codes.js';
import type { TrustedDocumentOutcome } from '../../observability/metrics.js';
import { documentShape } from '../document-shape.js';
import { sha256Hex } from './manifest.js';
import type { TrustedDocument, TrustedDocumentSet } from './registry.js';

/** What a request says about its document, as either transport carries it. */
export interface DocumentRequest {
  /** `documentId` (the GraphQL-over-HTTP persisted-documents proposal): `sha256:<hex>` or `<hex>`. */
  readonly documentId: unknown;
  /** Apollo Client's `extensions.persistedQuery.sha256Hash`. */
  readonly persistedQueryHash: unknown;
  /** The full document, when sent. */
  readonly query: string | undefined;
}

/** Run a listed document; run the text as sent; or refuse (nothing runs). */
export type Admission =
  | { readonly kind: 'trusted'; readonly document: TrustedDocument }
  | { readonly kind: 'text' }
  | { readonly kind: 'refused'; readonly error: GraphQLError };

export type Admit = (request: DocumentRequest, caller: Caller | undefined) => Admission;

export interface AdmissionOptions {
  readonly mode: TrustedDocumentsMode;
  readonly adhocScope: string;
  /** The documents loaded now (they change on reload). */
  readonly documents: () => TrustedDocumentSet;
  /** Automatic persisted queries are on: under `allow`, a hash not on the list is theirs to answer. */
  readonly automaticPersistedQueries: boolean;
  readonly count: (outcome: TrustedDocumentOutcome) => void;
}

/** Longer than any id a manifest can hold (a SHA-256 with a prefix): not looked at further. */
const MAX_ID_LENGTH = 100;
const SHA256_PREFIX = 'sha256:';

/** Root fields a supergraph router's query plans ask this subgraph for. */
const ROUTER_FIELDS = new Set(['_service', '_entities', '__typename']);

function refusal(code: ErrorCode, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code, http: { status: 400 } } });
}

const OFF = () =>
  refusal(
    ErrorCode.PERSISTED_QUERY_NOT_FOUND,
    'Trusted documents are off on this service (TRUSTED_DOCUMENTS=off): send the full document.',
  );
const UNKNOWN = () =>
  refusal(
    ErrorCode.PERSISTED_QUERY_NOT_FOUND,
    'No trusted document has this id: the service runs only the documents its clients listed. Nothing was run.',
  );
const NOT_ALLOWED = () =>
  refusal(
    ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
    'This service runs only trusted documents (TRUSTED_DOCUMENTS=require): send a listed document by its id. Nothing was run.',
  );

/** How a request names a document: an id as listed, or explicitly the SHA-256 of its text. */
type Name = { readonly id: string; readonly sha256Only: boolean };

/** The id a request names, or undefined when it cannot name a listed document. */
function nameOf(id: unknown, from: 'documentId' | 'extension'): Name | undefined {
  if (typeof id !== 'string' || id.length > MAX_ID_LENGTH) return undefined;
  if (from === 'extension') return { id, sha256Only: true };
  return id.startsWith(SHA256_PREFIX)
    ? { id: id.slice(SHA256_PREFIX.length), sha256Only: true }
    : { id, sha256Only: false };
}

/**
 * The listed document a name finds: a `sha256:` id and the extension's hash are the SHA-256 of the
 * text by definition; a bare id is looked up as listed (the client preset may list SHA-1 ids), then
 * as a SHA-256.
 */
function lookUp(documents: TrustedDocumentSet, name: Name | undefined): TrustedDocument | undefined {
  if (!name) return undefined;
  return name.sha256Only ? documents.bySha256(name.id) : (documents.byId(name.id) ?? documents.bySha256(name.id));
}

/**
 * Whether a document asks only what a supergraph router's query plans ask a subgraph: every
 * operation a query whose root fields are `_service` or `_entities` (and `__typename`). Parsed only
 * when the text mentions one of them; linear in the text either way.
 */
export function isRouterPlan(query: string): boolean {
  if (!query.includes('_service') && !query.includes('_entities')) return false;
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch {
    return false;
  }
  const shape = documentShape(document);
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  return (
    operations.length > 0 &&
    operations.every((operation) => {
      if (operation.operation !== 'query') return false;
      const { counts, overflow } = shape.rootFields(operation);
      const fields = [...counts.keys()];
      return !overflow && fields.every((field) => ROUTER_FIELDS.has(field)) && fields.some((f) => f !== '__typename');
    })
  );
}

/**
 * Which document a request runs (docs/security.md, "Trusted documents"), the same for HTTP and the
 * WebSocket:
 * - `off`: the text as sent; a `documentId` is refused (PERSISTED_QUERY_NOT_FOUND), and Apollo's
 *   persisted-query extension is left to automatic persisted queries, as before;
 * - an id (`documentId`, or the extension's hash) names a listed document, or is refused
 *   (PERSISTED_QUERY_NOT_FOUND); under `allow` with automatic persisted queries on, a hash not on the
 *   list is left to them;
 * - a full text whose SHA-256 is listed runs as that document; any other runs under `allow`, and
 *   under `require` only for a router's query plans or a caller with the ad-hoc scope
 *   (PERSISTED_QUERY_NOT_ALLOWED otherwise).
 */
export function documentAdmission(options: AdmissionOptions): Admit {
  const { mode, count } = options;
  const refuse = (outcome: TrustedDocumentOutcome, error: GraphQLError): Admission => {
    count(outcome);
    return { kind: 'refused', error };
  };
  const trusted = (document: TrustedDocument): Admission => {
    count('by_id');
    return { kind: 'trusted', document };
  };

  return (request, caller) => {
    const { documentId, persistedQueryHash, query } = request;
    // Off: as before this rule existed; only a request with nothing but an id is answered, and says why.
    if (mode === 'off') return documentId === undefined || query ? { kind: 'text' } : { kind: 'refused', error: OFF() };
    const documents = options.documents();
    const named = documentId !== undefined ? ('documentId' as const) : ('extension' as const);
    const raw = documentId ?? persistedQueryHash;
    if (raw !== undefined) {
      const listed = lookUp(documents, nameOf(raw, named));
      if (!listed) {
        if (documentId === undefined && mode === 'allow' && options.automaticPersistedQueries) {
          if (query) count('adhoc');
          return { kind: 'text' };
        }
        return refuse('refused_unknown', UNKNOWN());
      }
      // A text sent beside the id (Apollo's link does, over the WebSocket) must be that document.
      if (query && query !== listed.body) {
        return refuse(
          'refused_unknown',
          refusal(ErrorCode.BAD_REQUEST, 'The document sent is not the one its id names. Nothing was run.'),
        );
      }
      return trusted(listed);
    }
    if (!query) return { kind: 'text' };
    const listed = documents.bySha256(sha256Hex(query));
    if (listed) return trusted(listed);
    if (mode === 'allow' || caller?.scopes.has(options.adhocScope) || isRouterPlan(query)) {
      count('adhoc');
      return { kind: 'text' };
    }
    return refuse('refused_not_allowed', NOT_ALLOWED());
  };
}
