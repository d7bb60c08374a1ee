import { getCountries, getCountryCallingCode } from 'libphonenumber-js/min';

/**
 * The ITU country calling codes of libphonenumber-js's metadata: the library every number is read by
 * (`suppression/canonical-number.ts`), so masking knows exactly the codes the canonical forms have.
 * Country codes only (non-geographic ones such as +800 are not among them).
 */
export const CALLING_CODES: ReadonlySet<string> = new Set(
  getCountries().map((country) => getCountryCallingCode(country)),
);
