import { describe, expect, it } from 'vitest';
import { canonicalNumber, readByLibrary } from '../../src/suppression/canonical-number.js';

describe('one person, one number (libphonenumber-js, min metadata)', () => {
  it.each([
    // A China mobile in every spelling the API takes, and with trunk prefixes after "+86" (issue 24).
    ['13845352978', '+8613845352978'],
    ['8613845352978', '+8613845352978'],
    ['+8613845352978', '+8613845352978'],
    ['+86013845352978', '+8613845352978'],
    ['+860013845352978', '+8613845352978'],
    ['+14155550100', '+14155550100'],
    ['+447700900123', '+447700900123'],
    // The UK trunk prefix "0" written after +44 is not part of the number...
    ['+4407700900123', '+447700900123'],
    // ...while Italy's leading 0 is (the library knows the difference).
    ['+39061234567', '+39061234567'],
    ['+80012345678', '+80012345678'],
  ])('%s is %s', (given, canonical) => {
    expect(canonicalNumber(given)).toBe(canonical);
  });

  it.each([
    ['too short for its country', '+12345'],
    ['too short for China', '+8601234'],
    ['no such country code', '+999123456'],
    ['too short for its non-geographic code', '+882345678'],
    ['more than 15 digits', '+8600000013845352978'],
    ['a leading zero country code', '+08613845352978'],
    ['spaces', '+86 138 4535 2978'],
    ['dashes', '+86-138-4535-2978'],
    ['a national trunk prefix without "+"', '013845352978'],
    ['two plus signs', '++8613845352978'],
    ['fullwidth digits', '+８６１３８４５３５２９７８'],
    ['a trailing newline', '+8613845352978\n'],
    ['an extension', '+14155550100;ext=12'],
    ['letters', '+1415555CALL'],
    ['nothing', ''],
  ])('%s (%j): not read', (_what, given) => {
    expect(canonicalNumber(given)).toBeUndefined();
  });

  it('is its own canonical form: reading it again changes nothing', () => {
    const given = ['13845352978', '+860013845352978', '+4407700900123', '+39061234567', '+79123456789'];
    for (const number of given) {
      const canonical = canonicalNumber(number)!;
      expect(canonicalNumber(canonical)).toBe(canonical);
    }
  });

  it('tells different phones apart: the same digits under two country codes are two numbers', () => {
    expect(canonicalNumber('+8613845352978')).not.toBe(canonicalNumber('+85213845352'));
    expect(new Set(['+8613845352978', '+8613845352979', '13845352970'].map(canonicalNumber)).size).toBe(3);
  });
});

describe('the China mobile shortcut agrees with the library', () => {
  it('every prefix 130-199, with tails across the range: the same form the library reads', () => {
    const tails = ['00000000', '12345678', '45352978', '99999999', '00000001', '50000000'];
    let checked = 0;
    for (let prefix = 130; prefix <= 199; prefix += 1) {
      for (const tail of tails) {
        for (const spelling of [`+86${prefix}${tail}`, `${prefix}${tail}`, `86${prefix}${tail}`]) {
          expect(canonicalNumber(spelling), spelling).toBe(readByLibrary(`+86${prefix}${tail}`));
          checked += 1;
        }
      }
    }
    expect(checked).toBe(70 * 6 * 3);
  });
});
