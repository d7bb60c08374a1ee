import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { GraphQLError, type ASTVisitor, type ValidationContext, type ValidationRule } from 'graphql';
import { rootFields } from './root-fields.js';

/** The mutation that costs money: one per operation, so aliases or fragments cannot multiply a send. */
const SEND_FIELD = 'publishPromotionSms';

/** Refuses, at validation (before any resolver), a mutation that would send more than one batch. */
export const singleSendPerOperation: ValidationRule = (context): ASTVisitor => ({
  OperationDefinition(operation) {
    if (operation.operation !== 'mutation') return;
    const sends = rootFields(operation.selectionSet, (name) => context.getFragment(name) ?? undefined).filter(
      (field) => field === SEND_FIELD,
    );
    if (sends.length > 1) {
      context.reportError(
        new GraphQLError(`An operation may call ${SEND_FIELD} at most once; send each batch in its own request.`, {
          nodes: [operation],
        }),
      );
    }
  },
});

/** graphql-armor throws by default; reporting makes its refusals ordinary validation errors (HTTP 400). */
const report = {
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(error)],
};

/**
 * Validation rules that keep hostile operations from reaching any resolver. Depth counts
 * introspection too (`types { fields { type { fields ... } } }` nests without end); the default
 * leaves room for the standard introspection query, which is 15 deep.
 */
export function hardeningRules(options: { maxDepth: number; maxAliases: number }): ValidationRule[] {
  return [
    singleSendPerOperation,
    maxDepthRule({ n: options.maxDepth, ignoreIntrospection: false, flattenFragments: true, ...report }),
    maxAliasesRule({ n: options.maxAliases, ...report }),
  ] as ValidationRule[];
}
