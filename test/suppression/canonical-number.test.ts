import { describe, expect, it } from 'vitest';
import { canonicalNumber } from '../../src/suppression/canonical-number.js';

describe('one person, one number', () => {
  it.each([
    ['13912345678', '+8613912345678'],
    ['8613912345678', '+8613912345678'],
    ['+8613912345678', '+8613912345678'],
    ['+447700900123', '+447700900123'],
    ['+14155550100', '+14155550100'],
  ])('%s is %s', (given, canonical) => {
    expect(canonicalNumber(given)).toBe(canonical);
  });
});
