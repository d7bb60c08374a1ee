import type { ApolloServerPlugin, GraphQLRequest } from '@apollo/server';
import { InMemoryLRUCache, type KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import type { RequestContext } from '../request-context.js';
import type { Admit, DocumentRequest } from './admission.js';
import type { TrustedDocumentSet } from './registry.js';

/**
 * What a refused request hands on to Apollo in place of its own text: a document that parses and
 * validates trivially, so the refusal is answered from `didResolveOperation`, where Apollo's pipeline
 * answers a plugin's error like any other (status, error formatter, `delivery: NOT_SENT`, the
 * operation log). Never executed. A refused request's own text is never parsed.
 */
const REFUSED = '{ __typename }';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The document's id from a POST body or a GET query string, the extension's hash, and the text. */
function documentRequest(request: GraphQLRequest): DocumentRequest {
  const http = request.http;
  const documentId =
    http?.method === 'GET'
      ? (new URLSearchParams(http.search).get('documentId') ?? undefined)
      : isRecord(http?.body)
        ? http.body.documentId
        : undefined;
  const persistedQuery = request.extensions?.persistedQuery;
  return {
    documentId,
    persistedQueryHash: isRecord(persistedQuery) ? persistedQuery.sha256Hash : undefined,
    query: request.query,
  };
}

/**
 * Trusted documents in Apollo's HTTP pipeline, before Apollo reads the request: a listed document's
 * text takes the place of the id (its persisted-query extension removed, so automatic persisted
 * queries do not answer it), and Apollo's document cache (below) hands back the document parsed and
 * validated at load. A refusal is answered before the caller's text is parsed.
 */
export function trustedDocumentsPlugin(admit: Admit): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const admission = admit(documentRequest(request), contextValue.caller);
      if (admission.kind === 'text') return;
      if (request.extensions && 'persistedQuery' in request.extensions) {
        const { persistedQuery: _removed, ...extensions } = request.extensions;
        request.extensions = extensions;
      }
      if (admission.kind === 'trusted') {
        request.query = admission.document.body;
        contextValue.admission.documentId = admission.document.id;
        return;
      }
      request.query = REFUSED;
      delete request.operationName;
      contextValue.admission.refused = true;
      const { error } = admission;
      return {
        async didResolveOperation() {
          throw error;
        },
      };
    },
  };
}

/**
 * Apollo's document cache (parsed and validated documents by the SHA-256 of their text), with the
 * trusted documents always in it: a listed document is never parsed or validated again, and never
 * evicted. Other documents are cached as Apollo caches them by default.
 */
export function trustedDocumentStore(documents: () => TrustedDocumentSet): KeyValueCache<DocumentNode> {
  const others = new InMemoryLRUCache<DocumentNode>();
  return {
    async get(key) {
      const hash = key.slice(key.lastIndexOf(':') + 1);
      return documents().bySha256(hash)?.document ?? others.get(key);
    },
    async set(key, value, options) {
      if (!documents().bySha256(key.slice(key.lastIndexOf(':') + 1))) await others.set(key, value, options);
    },
    async delete(key) {
      return others.delete(key);
    },
  };
}
