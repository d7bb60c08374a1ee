import { createRequire } from 'node:module';
import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

const library = createRequire(import.meta.url)('libphonenumber-js/package.json') as { version: string };

/**
 * What the canonical forms are computed by. Its metadata ships with the library, so another version
 * may read a number differently: stored opt-outs are re-keyed when this changes (`createRedisOptOutStore`).
 */
export const CANONICAL_FORM = `libphonenumber-js ${library.version} (min metadata), read until unchanged`;

/** `+`, a country code and the number: digits only, at most 15 (E.164). Nothing else is read. */
const PLUS_DIGITS = /^\+[1-9]\d{1,14}$/;
/** A China mobile number written without "+": with its country code ("861...", 13 digits) or without. */
const CHINA_MOBILE = /^(?:86)?(1\d{10})$/;
/**
 * Each reading strips at most one trunk prefix written after the country code (`+86 0 138...`); 15
 * digits hold no more than a few, so a number still changing after this many is not read.
 */
const MAX_READINGS = 4;

/**
 * One person, one number: the E.164 form libphonenumber-js (its `min` metadata) reads a number as,
 * or undefined when it cannot read it as a possible number of its country. `13845352978`,
 * `8613845352978`, `+8613845352978`, `+86013845352978` and `+860013845352978` are one phone, so
 * opt-outs, the daily limit, reply matching, de-duplication and what SMN receives all use this form.
 *
 * The library strips one trunk prefix per reading (`+860013845352978` reads as `+86013845352978`),
 * so the number is read again until it no longer changes. A pure function, no cache: one reading
 * for a number already in this form.
 */
export function canonicalNumber(endpoint: string): string | undefined {
  const china = CHINA_MOBILE.exec(endpoint);
  const number = china ? `+86${china[1]!}` : endpoint;
  // Most numbers a send carries: already the library's form (test/suppression/canonical-number.test.ts
  // checks every prefix against it), so they skip the library's parse (its cost per send is in
  // bench/RESULTS.md, "Why the code is this way").
  if (CHINA_MOBILE_E164.test(number)) return number;
  return readByLibrary(number);
}

/** China mobile numbers (1[3-9]x) in E.164: what the library reads them as, unchanged. */
const CHINA_MOBILE_E164 = /^\+861[3-9]\d{9}$/;

/** The library's reading, again until it no longer changes; undefined when not a possible number. */
export function readByLibrary(endpoint: string): string | undefined {
  let number = endpoint;
  if (!PLUS_DIGITS.test(number)) return undefined;
  for (let reading = 0; reading < MAX_READINGS; reading += 1) {
    const parsed = parsePhoneNumberFromString(number, { extract: false });
    if (!parsed) return undefined;
    if (parsed.number === number) return parsed.isPossible() ? number : undefined;
    number = parsed.number;
  }
  return undefined;
}
