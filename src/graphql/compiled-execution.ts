import type { GatewayExecutor, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  BREAK,
  execute,
  GraphQLError,
  visit,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
} from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';
import { variableError } from './plugins/variable-errors.js';
import { LITERAL_KINDS } from './literal-kinds.js';
import { operationResolutionFailure } from './plugins/operation-resolution.js';

type Compiled = CompiledQuery | undefined;

/**
 * graphql-jit writes a document's literal argument values into the code it generates, as JSON with
 * marker strings it then turns back into code (`new Date(...)`): a literal carrying a marker runs as
 * code (test/graphql/compiled-execution.test.ts shows it, through a string and through an enum
 * literal that a scalar without `parseLiteral` keeps as it is written). So the rule is an allowlist:
 * only a document that writes no value at all (every argument, directive argument and variable
 * default absent or a variable; no literal of any kind, in the operation or any fragment) is
 * compiled. Variables reach compiled code as data, and names are GraphQL names. Everything else runs
 * on graphql-js (clients send values as variables; typed clients always do).
 */
export function writesNoLiteral(document: DocumentNode): boolean {
  let literal = false;
  const found = () => {
    literal = true;
    return BREAK;
  };
  visit(document, Object.fromEntries(LITERAL_KINDS.map((kind) => [kind, found])));
  return !literal;
}

/**
 * graphql-js answers a failed nullable list item with null in its place; graphql-jit leaves the
 * place unset, so a list whose last items failed comes out short. Each error's path is walked and any
 * list on it filled with null up to the index the path names.
 */
function nullAtErrorPaths(data: unknown, errors: readonly GraphQLError[]): void {
  for (const { path } of errors) {
    let node: unknown = data;
    for (const key of path ?? []) {
      if (node === null || typeof node !== 'object') break;
      if (Array.isArray(node) && typeof key === 'number') {
        for (let index = node.length; index <= key; index += 1) node[index] = null;
        if (!(key in node)) node[key] = null;
      }
      node = (node as Record<string | number, unknown>)[key];
    }
  }
}

/**
 * graphql-jit's errors only look like graphql-js's (no `nodes`, no `extensions` object when the
 * original error has none); Apollo and our formatter expect the real thing, built as graphql-js's
 * `locatedError` builds it: the resolver's error as `originalError`, its extensions carried over.
 */
function asGraphqlJsError(error: GraphQLError): GraphQLError {
  if (Object.getPrototypeOf(error) === GraphQLError.prototype) return error;
  const original = error.originalError;
  if (original instanceof GraphQLError && original.path) return original;
  const converted = new GraphQLError(error.message, {
    path: error.path,
    originalError: original ?? undefined,
    ...(original ? {} : { extensions: error.extensions }),
  });
  (converted as { locations: GraphQLError['locations'] }).locations = error.locations;
  return converted;
}

/** Compiles documents once each, keyed by the parsed document (Apollo caches one per query text). */
export interface DocumentCompiler {
  /** The compiled form of one operation of the document, or undefined where graphql-js must run it. */
  compiledFor(document: DocumentNode, operationName: string | null): Compiled;
  /**
   * Marks a document the service vetted (a trusted document, listed by its clients at build time):
   * compiled even when it writes values literally, since no caller wrote them.
   */
  vouchFor(document: DocumentNode): void;
}

export function documentCompiler(schema: GraphQLSchema): DocumentCompiler {
  // Keyed by the document, so an entry lives exactly as long as the document does.
  const compiled = new WeakMap<DocumentNode, Map<string, Compiled>>();
  const vouched = new WeakSet<DocumentNode>();
  return {
    compiledFor(document, operationName) {
      let byName = compiled.get(document);
      if (!byName) compiled.set(document, (byName = new Map()));
      const key = operationName ?? '';
      if (byName.has(key)) return byName.get(key);
      const compilable = vouched.has(document) || writesNoLiteral(document);
      const query = compilable ? compileQuery(schema, document, operationName ?? undefined) : undefined;
      const usable = query && isCompiledQuery(query) ? query : undefined;
      byName.set(key, usable);
      return usable;
    },
    vouchFor(document) {
      vouched.add(document);
    },
  };
}

/**
 * Runs each operation compiled once (graphql-jit) instead of interpreting its document on every
 * request: a 1000-result send resolves 1000 union members and ~10,000 fields, which graphql-js walks
 * generically each time (bench/RESULTS.md). Apollo Server still parses, validates, runs every plugin
 * and formats every error; only `execute` is replaced, through Apollo's executor hook (the gateway
 * interface, which is how Apollo lets a server bring its own executor).
 *
 * Where the compiled form could differ from graphql-js, graphql-js runs instead, so what clients see
 * stays exactly as before:
 * - variables that do not coerce: refused as the `variableErrors` plugin refuses them under
 *   graphql-js (that plugin is left out here: the variables are coerced once, by the compiled query),
 *   or worded by graphql-js when a required one is missing; nothing was resolved yet either way;
 * - a request whose field timings are asked for (ftv1 for a router, usage reporting): Apollo's
 *   per-field hooks live in the schema's resolvers that graphql-js calls;
 * - a document that writes any value literally (see `writesNoLiteral`) unless the service vouched for it
 *   (a trusted document), or one graphql-jit cannot compile.
 */
export function compiledExecution(schema: GraphQLSchema, compiler?: DocumentCompiler): GatewayInterface {
  const { compiledFor } = compiler ?? documentCompiler(schema);

  const executor: GatewayExecutor = async (request) => {
    const interpreted = () =>
      execute({
        schema,
        document: request.document,
        contextValue: request.context,
        variableValues: request.request.variables,
        operationName: request.operationName,
      }) as Promise<ExecutionResult> | ExecutionResult;
    // The operation is resolved before anything runs (operation-resolution.ts); never guessed here.
    if (!request.operation) throw operationResolutionFailure(request.document, request.operationName);
    if (request.metrics.captureTraces) return interpreted();
    const query = compiledFor(request.document, request.operationName);
    if (!query) return interpreted();
    const result = await query.query(undefined, request.context, request.request.variables ?? {});
    if (!('data' in result)) {
      // The variables did not coerce: refused without echoing them (variable-errors.ts), or, for a
      // missing required variable, in graphql-js's own (value-free) words.
      const refusal = variableError(schema, request.operation, request.request.variables);
      if (refusal) throw refusal;
      return interpreted();
    }
    if (!result.errors) return result as ExecutionResult;
    nullAtErrorPaths(result.data, result.errors);
    return { ...result, errors: result.errors.map(asGraphqlJsError) };
  };

  return {
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => undefined;
    },
    load: () => Promise.resolve({ executor }),
    stop: () => Promise.resolve(),
  };
}
