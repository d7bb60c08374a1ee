import type { ApolloServerPlugin } from '@apollo/server';
import {
  coerceInputValue,
  GraphQLError,
  isInputObjectType,
  isInputType,
  isListType,
  isNonNullType,
  typeFromAST,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { RequestContext } from '../request-context.js';
import { MAX_VALIDATION_ERRORS } from '../validation.js';
import { withoutValue } from '../value-free-messages.js';
import { ErrorCode } from '../../error-codes.js';

function printPath(variable: string, path: ReadonlyArray<string | number>): string {
  return variable + path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${key}`)).join('');
}

/** The type expected at `path` inside a variable of type `type`. */
function typeAt(type: GraphQLInputType, path: ReadonlyArray<string | number>): GraphQLInputType | undefined {
  let current: GraphQLInputType | undefined = type;
  for (const key of path) {
    if (current && isNonNullType(current)) current = current.ofType;
    if (current && isListType(current) && typeof key === 'number') current = current.ofType as GraphQLInputType;
    else if (current && isInputObjectType(current) && typeof key === 'string') current = current.getFields()[key]?.type;
    else return undefined;
  }
  return current;
}

/** Coercion problems of the operation's variables, described without their values (at most MAX_VALIDATION_ERRORS). */
export function variableProblems(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): Array<{ readonly field: string; readonly message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    const type = typeFromAST(schema, definition.type);
    // Missing, null or non-input variables get graphql-js's own messages, which carry no value.
    if (!type || !isInputType(type) || !variables || !Object.hasOwn(variables, name) || variables[name] == null) {
      continue;
    }
    coerceInputValue(variables[name], type, (path, _invalid, error) => {
      if (problems.length >= MAX_VALIDATION_ERRORS) return;
      problems.push({
        field: printPath(name, path),
        message: withoutValue(error.message, typeAt(type, path)?.toString()),
      });
    });
    if (problems.length >= MAX_VALIDATION_ERRORS) break;
  }
  return problems;
}

/**
 * Refuses variables that do not fit their types before graphql-js coerces them, because its messages
 * print the value (`got invalid value { endpoints: ["+8613812340000", ...`), and routers and APM tools
 * store messages. The answer names the path and the rule: BAD_USER_INPUT, HTTP 400, nothing sent.
 * Undefined when the variables fit (or only a required one is missing: graphql-js's message is value-free).
 */
export function variableError(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> | undefined,
): GraphQLError | undefined {
  if (!operation.variableDefinitions?.length) return undefined;
  const problems = variableProblems(schema, operation, variables);
  const [first] = problems;
  if (!first) return undefined;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem(s))` : '';
  return new GraphQLError(
    `Variable "$${first.field.split(/[.[]/)[0]}" got invalid value at "${first.field}"; ${first.message}${more}`,
    {
      extensions: {
        code: ErrorCode.BAD_USER_INPUT,
        http: { status: 400 },
        validationErrors: problems,
        validationErrorCount: problems.length,
      },
    },
  );
}

/**
 * `variableError` as a plugin, for graphql-js execution. Compiled execution checks the variables
 * itself, and only walks them this way once they failed to coerce (compiled-execution.ts).
 */
export function variableErrors(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, operation, request }) {
          const error = operation && variableError(schema, operation, request.variables);
          if (error) throw error;
        },
      };
    },
  };
}
