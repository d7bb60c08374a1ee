import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type DocumentNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { documentShape } from './document-shape.js';

/** The mutation that costs money: one per operation, so aliases or fragments cannot multiply a send. */
const SEND_FIELD = 'publishPromotionSms';

/** Refuses, at validation (before any resolver), a mutation that would send more than one batch. */
export const singleSendPerOperation: ValidationRule = (context): ASTVisitor => ({
  OperationDefinition(operation) {
    if (operation.operation !== 'mutation') return;
    const sends = documentShape(context.getDocument()).rootFields(operation).counts.get(SEND_FIELD) ?? 0;
    if (sends > 1) {
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
    structuralLimits(options),
    singleSendPerOperation,
    maxDepthRule({ n: options.maxDepth, ignoreIntrospection: false, flattenFragments: true, ...report }),
    // `__typename` aliases count too (graphql-armor exempts them by default): each costs work all the same.
    maxAliasesRule({ n: options.maxAliases, allowList: [], ...report }),
  ] as ValidationRule[];
}

/** Fragments spreading fragments: real documents nest a few levels; graphql-js walks these recursively. */
export const MAX_FRAGMENT_NESTING = 50;

function shortName(name: string): string {
  return name.length > 64 ? `${name.slice(0, 64)}...` : name;
}

/** Why a document is too deep or too tangled to validate safely; undefined when it is not. */
export function structuralProblem(document: DocumentNode, options: { maxDepth: number }): string | undefined {
  const shape = documentShape(document);
  if (shape.cycle !== undefined) return `Cannot spread fragment "${shortName(shape.cycle)}" within itself.`;
  if (shape.fragmentNesting > MAX_FRAGMENT_NESTING) {
    return `Fragments may spread fragments at most ${MAX_FRAGMENT_NESTING} levels deep, found ${shape.fragmentNesting}.`;
  }
  if (shape.selectionDepth > options.maxDepth) {
    return `Syntax Error: Query depth limit of ${options.maxDepth} exceeded, found ${shape.selectionDepth}.`;
  }
  return undefined;
}

const NOTHING: DocumentNode = { kind: Kind.DOCUMENT, definitions: [] };

/**
 * Refuses a document too deep or too tangled for graphql-js's own rules, which recurse through
 * nested selections and fragment chains (a long enough chain exhausts the stack: a 500). It runs
 * when validation enters the document, before any rule has looked inside, measures in linear time
 * (document-shape.ts), and on refusal hands the rest of the validation pass an empty document, so
 * the caller gets this one error (HTTP 400) and no other rule walks the input.
 */
export function structuralLimits(options: { maxDepth: number }): ValidationRule {
  return (context) => ({
    Document(document) {
      const problem = structuralProblem(document, options);
      if (problem === undefined) return undefined;
      context.reportError(new GraphQLError(problem));
      return NOTHING;
    },
  });
}
