import type { DocumentNode, GraphQLSchema } from 'graphql';
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { Config } from '../config/index.js';
import { documentCompiler, type DocumentCompiler } from '../graphql/compiled-execution.js';
import { apiValidationRules } from '../graphql/operation-pipeline.js';
import { documentAdmission, type Admit } from '../graphql/trusted-documents/admission.js';
import { trustedDocumentStore } from '../graphql/trusted-documents/apollo.js';
import { loadTrustedDocuments } from '../graphql/trusted-documents/registry.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Lifecycle } from './lifecycle.js';

export interface TrustedDocumentsPart {
  /** Which document a request runs, for both transports. */
  readonly admit: Admit;
  /** Apollo's document cache, with the trusted documents always in it. */
  readonly documentStore: KeyValueCache<DocumentNode>;
  /** The compiler the trusted documents were compiled with (undefined with GRAPHQL_COMPILED_EXECUTION=false). */
  readonly compiler: DocumentCompiler | undefined;
  /** Reads the manifests again (SIGHUP); false when a manifest could not be used and the old set stays. */
  reload(): Promise<boolean>;
}

/**
 * Part of the composition root (app.ts): loads the trusted-document manifests (a bad one refuses the
 * start), watches them for changes, and builds the admission rule both transports apply.
 */
export async function wireTrustedDocuments(
  config: Config,
  parts: { readonly schema: GraphQLSchema; readonly logger: Logger; readonly metrics: Metrics },
  lifecycle: Lifecycle,
): Promise<TrustedDocumentsPart> {
  const { graphql } = config;
  const settings = graphql.trustedDocuments;
  const compiler = graphql.compiledExecution ? documentCompiler(parts.schema) : undefined;
  const documents = await loadTrustedDocuments({
    manifests: settings.manifests,
    schema: parts.schema,
    rules: apiValidationRules(graphql),
    compiler,
    logger: parts.logger,
    watchIntervalMs: settings.watchIntervalMs,
    reloaded: parts.metrics.trustedDocumentsReloaded,
  });
  parts.metrics.observeTrustedDocuments(() => documents.current().size);
  if (settings.mode === 'require' && documents.current().size === 0) {
    parts.logger.warn(
      'TRUSTED_DOCUMENTS=require with no trusted documents: only router query plans and callers with the ad-hoc scope are served',
    );
  }
  const stopWatching = documents.watch();
  lifecycle.toDispose(async () => stopWatching());
  return {
    admit: documentAdmission({
      mode: settings.mode,
      adhocScope: settings.adhocScope,
      documents: documents.current,
      automaticPersistedQueries: graphql.persistedQueries,
      count: parts.metrics.trustedDocument,
    }),
    documentStore: trustedDocumentStore(documents.current),
    compiler,
    reload: () => documents.reload(),
  };
}
