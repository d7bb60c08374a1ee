import { describe, expect, it } from 'vitest';
import { CALLING_CODES } from '../../src/observability/calling-codes.js';
import { callingCodeOf, maskPhoneNumber } from '../../src/observability/phone-mask.js';

describe('the calling codes phone masking knows (libphonenumber-js metadata)', () => {
  it('are prefix-free, as masking relies on: no code is the start of another', () => {
    const codes = [...CALLING_CODES];
    expect(codes.length).toBeGreaterThan(200);
    expect(codes.filter((code) => codes.some((other) => other !== code && other.startsWith(code)))).toEqual([]);
  });

  it.each([
    ['+8613845352978', '86', '+86*******2978'],
    ['+14155550100', '1', '+1******0100'],
    ['+79123456789', '7', '+7******6789'],
    ['+85291234567', '852', '+852****4567'],
    ['+447700900123', '44', '+44******0123'],
  ])('%s has calling code %s and is logged as %s', (number, code, masked) => {
    expect(callingCodeOf(number)).toBe(code);
    expect(maskPhoneNumber(number)).toBe(masked);
  });

  it('knows no code that is not one: +999 and +0 have none', () => {
    expect(callingCodeOf('+999123456')).toBeUndefined();
    expect(callingCodeOf('+0861234567')).toBeUndefined();
  });
});
