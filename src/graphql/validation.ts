import { validate, ValidateBy, type ValidationError, type ValidationOptions } from 'class-validator';
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../error-codes.js';

/** How many per-field problems one refusal lists; the rest are counted, not listed. */
export const MAX_VALIDATION_ERRORS = 50;

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

interface ItemRule {
  readonly test: (value: string) => boolean;
  readonly message: string;
}

/** Rules applied to every item of a list, so a refusal can name the bad items (`endpoints[3]`). */
const itemRules = new Map<string, ItemRule>();

/** A string rule; with `each`, it applies to every item of a string list and reports items by index. */
export function StringRule(
  name: string,
  test: (value: string) => boolean,
  message: string,
  options?: ValidationOptions,
) {
  if (options?.each) itemRules.set(name, { test, message });
  return ValidateBy(
    {
      name,
      validator: {
        validate: (value: unknown) => typeof value === 'string' && test(value),
        defaultMessage: () => message,
      },
    },
    options,
  );
}

/**
 * A rule read over a whole string list at once (`testList`), failing items still reported by index as
 * with `each` (found again with `testItem`, only when the list failed).
 */
export function StringListRule(
  name: string,
  testList: (values: readonly string[]) => boolean,
  testItem: (value: string) => boolean,
  message: string,
) {
  itemRules.set(name, { test: testItem, message });
  return ValidateBy({
    name,
    validator: {
      validate: (value: unknown) =>
        Array.isArray(value) && value.every((item) => typeof item === 'string') && testList(value as string[]),
      defaultMessage: () => message,
    },
  });
}

function itemProblems(field: string, value: unknown, rule: ItemRule): FieldProblem[] {
  if (!Array.isArray(value)) return [{ field, message: rule.message }];
  return value.flatMap((item: unknown, index) =>
    typeof item === 'string' && rule.test(item) ? [] : [{ field: `${field}[${index}]`, message: rule.message }],
  );
}

/** Flattens class-validator's tree into `{ field, message }` entries without the offending values. */
export function toFieldProblems(errors: readonly ValidationError[], value: object, prefix = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = `${prefix}${error.property}`;
    const fieldValue: unknown = (value as Record<string, unknown>)[error.property];
    const own = Object.entries(error.constraints ?? {}).flatMap(([name, message]) => {
      const rule = itemRules.get(name);
      return rule ? itemProblems(field, fieldValue, rule) : [{ field, message }];
    });
    const nested =
      error.children && typeof fieldValue === 'object' && fieldValue !== null
        ? toFieldProblems(error.children, fieldValue, `${field}.`)
        : [];
    return [...own, ...nested];
  });
}

/** BAD_USER_INPUT listing the problems (at most MAX_VALIDATION_ERRORS); `outcome` says what did not happen. */
export function badUserInput(problems: readonly FieldProblem[], outcome = 'nothing was sent'): GraphQLError {
  const listed = problems.slice(0, MAX_VALIDATION_ERRORS);
  return new GraphQLError(`Invalid input: ${problems.length} problem(s); ${outcome}`, {
    extensions: {
      code: ErrorCode.BAD_USER_INPUT,
      validationErrors: listed,
      validationErrorCount: problems.length,
    },
  });
}

/**
 * TypeGraphQL's validateFn. Unlike its default (which attaches the whole input to the error), this
 * reports field paths and messages only: a list of 1000 phone numbers is never echoed back.
 */
export async function validateInput(argValue: unknown): Promise<void> {
  if (typeof argValue !== 'object' || argValue === null) return;
  const errors = await validate(argValue, {
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw badUserInput(toFieldProblems(errors, argValue));
}
