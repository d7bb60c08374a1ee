import { getCountries, getCountryCallingCode } from 'libphonenumber-js/min';
import { describe, expect, it } from 'vitest';
import { CALLING_CODES } from '../../src/observability/calling-codes.js';

describe('the calling codes phone masking knows', () => {
  it('are exactly the codes of libphonenumber-js metadata (update the constant when it changes)', () => {
    const fromMetadata = new Set(getCountries().map((country) => getCountryCallingCode(country)));
    expect([...CALLING_CODES].sort()).toEqual([...fromMetadata].sort());
  });
});
