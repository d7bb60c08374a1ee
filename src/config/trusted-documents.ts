import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Reader } from './reader.js';
import type { TrustedDocumentsConfig, TrustedDocumentsMode } from './types.js';

const MODES: readonly TrustedDocumentsMode[] = ['off', 'allow', 'require'];

/**
 * The service's own manifest (its typed client's operations, written by `npm run build` beside the
 * compiled code as dist/trusted-documents.json): the default list when TRUSTED_DOCUMENTS_MANIFEST is
 * unset and the file exists (it does in the image; not when running from source).
 */
export const BUILT_MANIFEST = fileURLToPath(new URL('../trusted-documents.json', import.meta.url));

/** A scope as tokens carry it: no spaces (scopes are space-separated in a token). */
const SCOPE = /^[\x21-\x7e]{1,200}$/;

/**
 * TRUSTED_DOCUMENTS_*: which GraphQL documents the service runs. `off` outside production (as
 * before: any document); `allow` in production unless set (ids and full documents, counted, so the
 * switch to `require` can be watched first); `require`: only listed documents, router query plans
 * and callers with the ad-hoc scope.
 */
export function readTrustedDocuments(read: Reader, production: boolean): TrustedDocumentsConfig {
  const mode = read.oneOf('TRUSTED_DOCUMENTS', production ? 'allow' : 'off', MODES) as TrustedDocumentsMode;
  const listed = read.list('TRUSTED_DOCUMENTS_MANIFEST');
  const adhocScope = read.text('TRUSTED_DOCUMENTS_ADHOC_SCOPE') ?? 'graphql:adhoc';
  if (!SCOPE.test(adhocScope)) {
    read.problems.push('TRUSTED_DOCUMENTS_ADHOC_SCOPE must be one scope: printable characters, no spaces');
  }
  const manifests = listed.length > 0 ? listed : existsSync(BUILT_MANIFEST) ? [BUILT_MANIFEST] : [];
  return {
    mode,
    manifests: mode === 'off' ? [] : manifests,
    adhocScope,
    watchIntervalMs: read.integer('TRUSTED_DOCUMENTS_WATCH_INTERVAL_MS', 2_000, 100, 600_000),
  };
}
