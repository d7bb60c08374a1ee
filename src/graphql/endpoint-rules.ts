import { ArrayMaxSize, ArrayMinSize } from 'class-validator';
import { isPromotionEndpoint } from '../smn/wire.js';
import { canonicalNumber } from '../suppression/canonical-number.js';
import { badUserInput, StringListRule, type FieldProblem } from './validation.js';

export const ENDPOINT_RULE =
  'must be a phone number: "+" then country code and number (E.164), or a China mobile number without "+86"';

/**
 * The canonical form of a number written in a form SMN takes that libphonenumber-js also reads as a
 * possible number of its country; undefined for any other (`+12345` has SMN's form and is no phone).
 * Only such numbers can be compared (opt-outs, the daily limit, de-duplication).
 */
export function phoneNumberOf(value: string): string | undefined {
  return isPromotionEndpoint(value) ? canonicalNumber(value) : undefined;
}

export function isPhoneNumber(value: string): boolean {
  return phoneNumberOf(value) !== undefined;
}

/** The canonical forms of the lists `PhoneNumbers` accepted, by list: read once, at validation. */
const accepted = new WeakMap<readonly string[], readonly string[]>();

function readPhoneNumbers(endpoints: readonly string[]): boolean {
  const numbers: string[] = [];
  for (const endpoint of endpoints) {
    const number = phoneNumberOf(endpoint);
    if (number === undefined) return false;
    numbers.push(number);
  }
  accepted.set(endpoints, numbers);
  return true;
}

/**
 * The canonical numbers of a list of valid numbers, aligned with it: those `PhoneNumbers` read when it
 * validated this very list (a send reads each number once, a few microseconds each), else read now.
 */
export function canonicalNumbersOf(endpoints: readonly string[]): readonly string[] {
  return accepted.get(endpoints) ?? endpoints.map((endpoint) => phoneNumberOf(endpoint) ?? endpoint);
}

/**
 * A list of 1 to `max` phone numbers, each valid by `isPhoneNumber`: the same rules for sends and
 * opt-outs. A list over `max` is refused by its size alone: none of its numbers is read (reading costs
 * a few microseconds a number, and the body limit would let a caller send tens of thousands).
 */
export function PhoneNumbers(max: number): PropertyDecorator {
  const decorators = [
    ArrayMinSize(1, { message: 'must contain at least 1 phone number' }),
    ArrayMaxSize(max, { message: `must contain at most ${max} phone numbers` }),
    StringListRule(
      'isPhoneNumber',
      (endpoints) => endpoints.length > max || readPhoneNumbers(endpoints),
      isPhoneNumber,
      ENDPOINT_RULE,
    ),
  ];
  return (target, property) => {
    for (const decorate of decorators) decorate(target, property);
  };
}

/** The same rules for a list given as a plain argument (no input type for class-validator to run on). */
export function assertPhoneNumbers(field: string, endpoints: readonly string[], max: number, outcome: string): void {
  const problems: FieldProblem[] = [];
  if (endpoints.length < 1) problems.push({ field, message: 'must contain at least 1 phone number' });
  if (endpoints.length > max) {
    throw badUserInput([{ field, message: `must contain at most ${max} phone numbers` }], outcome);
  }
  endpoints.forEach((endpoint, index) => {
    if (!isPhoneNumber(endpoint)) problems.push({ field: `${field}[${index}]`, message: ENDPOINT_RULE });
  });
  if (problems.length > 0) throw badUserInput(problems, outcome);
}
