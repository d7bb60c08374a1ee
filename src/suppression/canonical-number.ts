/** A China mobile number written with its country code but without "+" (13 digits, "861..."). */
const CHINA_WITH_86 = /^861\d{10}$/;
/** A China mobile number without any prefix (11 digits, "1..."). */
const CHINA_DOMESTIC = /^1\d{10}$/;

/**
 * One person, one number: `+<country code><number>`. `13912345678`, `8613912345678` and
 * `+8613912345678` are the same phone, so opt-outs and the daily limit compare this form. (A batch's
 * own de-duplication stays SMN's exact-string rule.) Numbers are validated before they get here.
 */
export function canonicalNumber(endpoint: string): string {
  if (endpoint.startsWith('+')) return endpoint;
  if (CHINA_WITH_86.test(endpoint)) return `+${endpoint}`;
  if (CHINA_DOMESTIC.test(endpoint)) return `+86${endpoint}`;
  return endpoint;
}
