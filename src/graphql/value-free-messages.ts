/**
 * graphql-js's messages about input values print the value (`got invalid value "+8613812340000"`,
 * `String cannot represent a non string value: 8613812345678`), and routers and APM tools store
 * messages. These reduce them to what names only the schema: the rule, never the value.
 */

/** Messages that already name only the schema. */
const VALUE_FREE = [
  /^Field "[^"]+" of required type "[^"]+" was not provided\.$/,
  /^Expected type "[^"]+" to be an object\.$/,
  /^Expected non-nullable type "[^"]+" not to be null\.$/,
];
const UNKNOWN_FIELD = /^Field "([^"]*)" is not defined by type "([^"]+)"\./;
const EXPECTED_TYPE = /^Expected value of type "([^"]+)"/;
const CANNOT_REPRESENT = /^([^:\n]{1,120} cannot represent [^:\n]{1,120}):/;
const NAME = /^[_A-Za-z][_0-9A-Za-z]{0,63}$/;

/** The rule a value broke, from graphql-js's message; `expected` is the type at its path, when known. */
export function withoutValue(message: string, expected?: string): string {
  if (VALUE_FREE.some((pattern) => pattern.test(message))) return message;
  const unknown = UNKNOWN_FIELD.exec(message);
  if (unknown) {
    // The field name is the caller's key: it could be anything, a phone number included.
    const [, field = '', type] = unknown;
    return `${NAME.test(field) ? `Field "${field}"` : 'A field'} is not defined by type "${type}".`;
  }
  const type = expected ?? EXPECTED_TYPE.exec(message)?.[1];
  if (type !== undefined) return `Expected value of type "${type}".`;
  const rule = CANNOT_REPRESENT.exec(message)?.[1];
  return rule === undefined ? 'Invalid value.' : `${rule}.`;
}
