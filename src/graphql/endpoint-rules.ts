import { ArrayMaxSize, ArrayMinSize } from 'class-validator';
import { isPromotionEndpoint } from '../smn/wire.js';
import { badUserInput, StringRule, type FieldProblem } from './validation.js';

export const ENDPOINT_RULE =
  'must be a phone number: "+" then country code and number (E.164), or a China mobile number without "+86"';

/** A list of 1 to `max` phone numbers, each valid as SMN takes it: the same rules for sends and opt-outs. */
export function PhoneNumbers(max: number): PropertyDecorator {
  const decorators = [
    ArrayMinSize(1, { message: 'must contain at least 1 phone number' }),
    ArrayMaxSize(max, { message: `must contain at most ${max} phone numbers` }),
    StringRule('isPromotionEndpoint', isPromotionEndpoint, ENDPOINT_RULE, { each: true }),
  ];
  return (target, property) => {
    for (const decorate of decorators) decorate(target, property);
  };
}

/** The same rules for a list given as a plain argument (no input type for class-validator to run on). */
export function assertPhoneNumbers(field: string, endpoints: readonly string[], max: number, outcome: string): void {
  const problems: FieldProblem[] = [];
  if (endpoints.length < 1) problems.push({ field, message: 'must contain at least 1 phone number' });
  if (endpoints.length > max) problems.push({ field, message: `must contain at most ${max} phone numbers` });
  endpoints.forEach((endpoint, index) => {
    if (!isPromotionEndpoint(endpoint)) problems.push({ field: `${field}[${index}]`, message: ENDPOINT_RULE });
  });
  if (problems.length > 0) throw badUserInput(problems, outcome);
}
