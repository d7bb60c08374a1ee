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

/** The id with an optional `sha256:` prefix removed, or undefined when it cannot name a listed document. */
export function normalizedId(id: unknown): string | undefined {
  if (typeof id !== 'string' || id.length > MAX_ID_LENGTH) return undefined;
  return id.startsWith(SHA256_PREFIX) ? id.slice(SHA256_PREFIX.length) : id;
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
    if (mode === 'off') return documentId === undefined ? { kind: 'text' } : { kind: 'refused', error: OFF() };
    const documents = options.documents();
    const named = documentId ?? persistedQueryHash;
    if (named !== undefined) {
      const id = normalizedId(named);
      // By its listed id, or by the SHA-256 of its text (what the extension's hash always is, and what a
      // `sha256:` id says), so a document listed under the client preset's SHA-1 is found either way.
      const listed = id === undefined ? undefined : (documents.byId(id) ?? documents.bySha256(id));
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
