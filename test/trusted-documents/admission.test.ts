import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../src/auth/caller.js';
import type { TrustedDocumentsMode } from '../../src/config/types.js';
import { ErrorCode } from '../../src/error-codes.js';
import type { TrustedDocumentOutcome } from '../../src/observability/metrics.js';
import {
  documentAdmission,
  isRouterPlan,
  type Admission,
  type DocumentRequest,
} from '../../src/graphql/trusted-documents/admission.js';
import type { TrustedDocument, TrustedDocumentSet } from '../../src/graphql/trusted-documents/registry.js';
import { sha256 } from '../helpers/trusted-documents.js';

const LIMITS = 'query Limits { promotionSmsLimits { maxEndpoints } }';
const listed: TrustedDocument = {
  id: sha256(LIMITS),
  name: 'Limits',
  body: LIMITS,
  sha256: sha256(LIMITS),
  document: parse(LIMITS),
};
const documents: TrustedDocumentSet = {
  size: 1,
  byId: (id) => (id === listed.id ? listed : undefined),
  bySha256: (hash) => (hash === listed.sha256 ? listed : undefined),
};
const caller = (...scopes: string[]): Caller => ({ sub: 'user-1', scopes: new Set(scopes) });
const AD_HOC = 'graphql:adhoc';

function admitter(mode: TrustedDocumentsMode, automaticPersistedQueries = false) {
  const counted: TrustedDocumentOutcome[] = [];
  const admit = documentAdmission({
    mode,
    adhocScope: AD_HOC,
    documents: () => documents,
    automaticPersistedQueries,
    count: (outcome) => counted.push(outcome),
  });
  return { admit, counted };
}

const request = (fields: Partial<DocumentRequest>): DocumentRequest => ({
  documentId: undefined,
  persistedQueryHash: undefined,
  query: undefined,
  ...fields,
});

function codeOf(admission: Admission): unknown {
  return admission.kind === 'refused' ? admission.error.extensions.code : admission.kind;
}

describe('which document a request runs', () => {
  it.each(['allow', 'require'] as const)('%s: a listed id, with or without sha256:, or as the extension', (mode) => {
    const { admit, counted } = admitter(mode);
    for (const named of [
      { documentId: listed.id },
      { documentId: `sha256:${listed.id}` },
      { persistedQueryHash: listed.id },
      { documentId: listed.id, query: LIMITS },
    ]) {
      expect(admit(request(named), undefined)).toEqual({ kind: 'trusted', document: listed });
    }
    expect(counted).toEqual(['by_id', 'by_id', 'by_id', 'by_id']);
  });

  it.each(['allow', 'require'] as const)('%s: an unknown or malformed id is PERSISTED_QUERY_NOT_FOUND', (mode) => {
    const { admit, counted } = admitter(mode);
    for (const documentId of ['0'.repeat(64), 'sha1:abc', 42, { id: listed.id }, 'x'.repeat(10_000)]) {
      expect(codeOf(admit(request({ documentId }), caller(AD_HOC)))).toBe(ErrorCode.PERSISTED_QUERY_NOT_FOUND);
    }
    expect(codeOf(admit(request({ persistedQueryHash: 'f'.repeat(64) }), undefined))).toBe(
      ErrorCode.PERSISTED_QUERY_NOT_FOUND,
    );
    expect(counted).toEqual(Array(6).fill('refused_unknown'));
  });

  it("finds a document listed under the client preset's SHA-1 by the SHA-256 the extension carries", () => {
    const sha1Listed = { ...listed, id: 'a'.repeat(40) };
    const counted: TrustedDocumentOutcome[] = [];
    const admit = documentAdmission({
      mode: 'require',
      adhocScope: AD_HOC,
      documents: () => ({
        size: 1,
        byId: (id) => (id === sha1Listed.id ? sha1Listed : undefined),
        bySha256: (hash) => (hash === sha1Listed.sha256 ? sha1Listed : undefined),
      }),
      automaticPersistedQueries: false,
      count: (outcome) => counted.push(outcome),
    });
    for (const named of [{ documentId: 'a'.repeat(40) }, { persistedQueryHash: listed.sha256 }]) {
      expect(admit(request(named), undefined)).toEqual({ kind: 'trusted', document: sha1Listed });
    }
    expect(counted).toEqual(['by_id', 'by_id']);
    // `sha256:` says what the id is: a SHA-1 under that prefix names nothing.
    expect(codeOf(admit(request({ documentId: `sha256:${'a'.repeat(40)}` }), undefined))).toBe(
      ErrorCode.PERSISTED_QUERY_NOT_FOUND,
    );
  });

  it('a document nested too deeply to parse is refused as not allowed, never an internal error', () => {
    const { admit } = admitter('require');
    const deep = `{ _service ${'{ a '.repeat(100_000)}${'}'.repeat(100_000)} }`;
    expect(codeOf(admit(request({ query: deep }), undefined))).toBe(ErrorCode.PERSISTED_QUERY_NOT_ALLOWED);
  });

  it('an id beside another text is refused: the text sent must be the document named', () => {
    const { admit } = admitter('require');
    expect(codeOf(admit(request({ documentId: listed.id, query: '{ __typename }' }), undefined))).toBe(
      ErrorCode.BAD_REQUEST,
    );
  });

  it('allow: any full text runs, counted as adhoc unless listed', () => {
    const { admit, counted } = admitter('allow');
    expect(admit(request({ query: '{ __typename }' }), undefined)).toEqual({ kind: 'text' });
    expect(admit(request({ query: LIMITS }), undefined)).toEqual({ kind: 'trusted', document: listed });
    expect(counted).toEqual(['adhoc', 'by_id']);
  });

  it('allow with automatic persisted queries: an unlisted hash is left to them', () => {
    const { admit } = admitter('allow', true);
    expect(admit(request({ persistedQueryHash: 'f'.repeat(64) }), undefined)).toEqual({ kind: 'text' });
    // ... but a documentId is always ours, and under require so is the hash.
    expect(codeOf(admit(request({ documentId: 'f'.repeat(64) }), undefined))).toBe(ErrorCode.PERSISTED_QUERY_NOT_FOUND);
    const required = admitter('require', true);
    expect(codeOf(required.admit(request({ persistedQueryHash: 'f'.repeat(64) }), undefined))).toBe(
      ErrorCode.PERSISTED_QUERY_NOT_FOUND,
    );
  });

  it('require: unlisted full text is PERSISTED_QUERY_NOT_ALLOWED, except router plans and the ad-hoc scope', () => {
    const { admit, counted } = admitter('require');
    const adhoc = '{ promotionSmsLimits { maxEndpoints } }';
    expect(codeOf(admit(request({ query: adhoc }), undefined))).toBe(ErrorCode.PERSISTED_QUERY_NOT_ALLOWED);
    expect(codeOf(admit(request({ query: adhoc }), caller('sms:read', 'sms:promotion:send')))).toBe(
      ErrorCode.PERSISTED_QUERY_NOT_ALLOWED,
    );
    expect(admit(request({ query: adhoc }), caller(AD_HOC))).toEqual({ kind: 'text' });
    expect(admit(request({ query: '{ _service { sdl } }' }), undefined)).toEqual({ kind: 'text' });
    expect(admit(request({ query: LIMITS }), undefined)).toEqual({ kind: 'trusted', document: listed });
    expect(counted).toEqual(['refused_not_allowed', 'refused_not_allowed', 'adhoc', 'adhoc', 'by_id']);
  });

  it('off: text runs uncounted; a documentId is refused; the extension stays with automatic persisted queries', () => {
    const { admit, counted } = admitter('off');
    expect(admit(request({ query: '{ __typename }' }), undefined)).toEqual({ kind: 'text' });
    expect(admit(request({ persistedQueryHash: listed.id }), undefined)).toEqual({ kind: 'text' });
    // An id beside a text is ignored, as before this rule existed.
    expect(admit(request({ documentId: listed.id, query: '{ __typename }' }), undefined)).toEqual({ kind: 'text' });
    const refused = admit(request({ documentId: listed.id }), undefined);
    expect(codeOf(refused)).toBe(ErrorCode.PERSISTED_QUERY_NOT_FOUND);
    expect(refused.kind === 'refused' && refused.error.message).toMatch(/TRUSTED_DOCUMENTS=off/);
    expect(counted).toEqual([]);
  });
});

describe('what counts as a router query plan', () => {
  it.each([
    ['{ _service { sdl } }', true],
    ['query($r: [_Any!]!) { _entities(representations: $r) { ... on SmsSent { endpoint } } }', true],
    ['query Plan__sms__1($r: [_Any!]!) { __typename _entities(representations: $r) { __typename } }', true],
    ['{ __typename }', false],
    ['{ _service { sdl } promotionSmsLimits { maxEndpoints } }', false],
    ['{ _service { sdl } } mutation { addOptOuts(input: { endpoints: [] }) { added } }', false],
    ['query { ...F } fragment F on Query { _service { sdl } }', true],
    ['query { ...F } fragment F on Query { sentSms(messageId: "1") { endpoint } _service { sdl } }', false],
    ['mutation { _entities }', false],
    ['{ _service { sdl }', false],
    ['# _service\n{ promotionSmsLimits { maxEndpoints } }', false],
  ])('%s: %s', (query, expected) => {
    expect(isRouterPlan(query)).toBe(expected);
  });
});
