/** The longest a caller- or peer-chosen string may be in a log line or an error we pass on. */
export const MAX_LOGGED_CHARS = 128;

/**
 * A string cut to `max` characters, saying how much was left out: a 1 MB operation name or SMN error
 * message must not become a 1 MB log line (or a 1 MB error a client stores).
 */
export function bounded(value: string, max: number = MAX_LOGGED_CHARS): string {
  return value.length <= max ? value : `${value.slice(0, max)}...(${value.length - max} more)`;
}
