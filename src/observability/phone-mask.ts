import { CALLING_CODES } from './calling-codes.js';

// ITU country calling codes are prefix-free, so the first 1-3 digits after `+` match at most one.
const CHINA_DOMESTIC_WITH_86 = /^861\d{10}$/;

/** The ITU calling code of an E.164 number (`+8613912345678` -> `86`); undefined when none fits. */
export function callingCodeOf(e164: string): string | undefined {
  const prefix = countryPrefix(e164);
  return prefix.length > 1 && prefix.startsWith('+') ? prefix.slice(1) : undefined;
}

function countryPrefix(phone: string): string {
  if (phone.startsWith('+')) {
    for (const length of [1, 2, 3]) {
      const code = phone.slice(1, 1 + length);
      if (CALLING_CODES.has(code)) return `+${code}`;
    }
    return '+';
  }
  return CHINA_DOMESTIC_WITH_86.test(phone) ? '86' : '';
}

/**
 * A phone number as logs may show it: the country code and the last 4 digits, the rest masked
 * (`+8613812345678` -> `+86*******5678`). At least 4 digits are always hidden.
 */
export function maskPhoneNumber(phone: string): string {
  // No phone number is this long: say what it is without writing it out.
  if (phone.length > 32) return `[${phone.length} characters]`;
  const prefix = countryPrefix(phone);
  const rest = phone.length - prefix.length;
  const shown = Math.max(0, Math.min(4, rest - 4));
  return `${prefix}${'*'.repeat(rest - shown)}${phone.slice(phone.length - shown)}`;
}

/** Runs of 7 or more digits (with an optional "+", spaces or dashes inside): anything that may be a number. */
const DIGIT_RUN = /\+?\d[\d -]{5,}\d/g;

/** Free text (a caller's reason, say) as logs may show it: every number-like run masked. */
export function maskNumbersInText(text: string): string {
  return text.replace(DIGIT_RUN, (run) => maskPhoneNumber(run.replace(/[ -]/g, '')));
}
