import { ApolloServerValidationErrorCode } from '@apollo/server/errors';
import {
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { GraphqlConfig } from '../config/types.js';
import { ErrorCode } from '../error-codes.js';
import type { ErrorFormatter } from './errors.js';
import { hardeningRules } from './hardening.js';

/**
 * The pieces of the GraphQL pipeline both transports share. Over HTTP, Apollo Server runs them
 * (server.ts: these validation rules, the error formatter, the plugins); over the WebSocket,
 * subscriptions.ts runs the same pieces in the same order, since graphql-ws has no Apollo pipeline:
 * parse and validate here, then the checks Apollo's plugins make before execution (operation
 * resolution, a token-less caller, variables described without their values), then the operation
 * log and metrics (plugins/operation-log.ts) and the error formatter (errors.ts).
 */

/** `__schema` and `__type` refused at validation (GRAPHQL_INTROSPECTION=false), with Apollo's own code. */
export const introspectionGate: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value !== '__schema' && node.name.value !== '__type') return;
    context.reportError(
      new GraphQLError('GraphQL introspection is not allowed here (GRAPHQL_INTROSPECTION=false).', {
        nodes: [node],
        extensions: { validationErrorCode: ApolloServerValidationErrorCode.INTROSPECTION_DISABLED },
      }),
    );
  },
});

type RuleSettings = Pick<GraphqlConfig, 'introspection' | 'maxDepth' | 'maxAliases'>;

/**
 * The rules after graphql-js's own (Apollo adds `specifiedRules` itself): the introspection gate
 * when introspection is off, then the hardening rules (hardening.ts).
 */
export function apiValidationRules(settings: RuleSettings): ValidationRule[] {
  return [...(settings.introspection ? [] : [introspectionGate]), ...hardeningRules(settings)];
}

export type Parsed = { readonly document: DocumentNode } | { readonly errors: readonly GraphQLError[] };

/**
 * Parse and validation as Apollo runs them, with its codes: GRAPHQL_PARSE_FAILED (also for a
 * document nested too deeply to parse), GRAPHQL_VALIDATION_FAILED for every validation error.
 */
export function documentParser(schema: GraphQLSchema, settings: RuleSettings): (query: string) => Parsed {
  const rules = [...specifiedRules, ...apiValidationRules(settings)];
  return (query) => {
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (error) {
      const syntax = error instanceof GraphQLError ? error : undefined;
      return {
        errors: [
          new GraphQLError(error instanceof Error ? error.message : 'Syntax Error', {
            ...(syntax && { source: syntax.source, positions: syntax.positions }),
            extensions: { code: ErrorCode.GRAPHQL_PARSE_FAILED },
          }),
        ],
      };
    }
    const errors = validate(schema, document, rules);
    if (errors.length === 0) return { document };
    return {
      errors: errors.map(
        (error) =>
          new GraphQLError(error.message, {
            nodes: error.nodes ?? null,
            ...(!error.nodes && error.source && { source: error.source, positions: error.positions }),
            extensions: { ...error.extensions, code: ErrorCode.GRAPHQL_VALIDATION_FAILED },
          }),
      ),
    };
  };
}

/**
 * An error as the client sees it, prepared as Apollo prepares it for formatError (a code on every
 * error, INTERNAL_SERVER_ERROR when it has none; no `http` extension), then formatted.
 */
export function formatForClient(error: GraphQLError, format: ErrorFormatter): GraphQLFormattedError {
  const { http: _http, ...extensions } = error.extensions;
  const given = {
    ...error.toJSON(),
    extensions: { ...extensions, code: extensions.code ?? ErrorCode.INTERNAL_SERVER_ERROR },
  };
  try {
    return format(given, error);
  } catch {
    return { message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } };
  }
}
