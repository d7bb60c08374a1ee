/**
 * One field of PostgreSQL's COPY text format: backslash, tab, newline and carriage return escaped,
 * `\N` for NULL (undefined). Anything else goes through as it is (UTF-8).
 */
export function copyField(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '\\N';
  if (typeof value === 'number') return String(value);
  // Fast path: most fields (ids, numbers, ISO dates) need no escaping.
  if (!/[\\\t\n\r]/.test(value)) return value;
  return value.replace(/[\\\t\n\r]/g, (character) => {
    switch (character) {
      case '\\':
        return '\\\\';
      case '\t':
        return '\\t';
      case '\n':
        return '\\n';
      default:
        return '\\r';
    }
  });
}

/** One COPY text row: the fields, tab-separated, newline-terminated. */
export const copyRow = (fields: ReadonlyArray<string | number | undefined | null>): string =>
  `${fields.map(copyField).join('\t')}\n`;
