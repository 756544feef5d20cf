import { describe, expect, it } from 'vitest';
import { creditCodeCheckChar, isValidCreditCode, isValidIdNumber, MOBILE } from './identifiers.ts';

describe('统一社会信用代码 (GB 32100-2015)', () => {
  it('accepts codes whose check character matches, including the standard example', () => {
    // 91350100M000100Y43 is the example printed in GB 32100-2015; the others are real published codes
    for (const code of ['91350100M000100Y43', '911100007109250324', '91110000802100433B', '91440300708461136T'])
      expect(isValidCreditCode(code), code).toBe(true);
  });

  it('refuses a wrong check character, a forbidden letter (I O S V Z) and a wrong length', () => {
    expect(isValidCreditCode('91350100M000100Y44')).toBe(false);
    expect(isValidCreditCode('91350100M000100I43')).toBe(false);
    expect(isValidCreditCode('91350100M000100Y4')).toBe(false);
    expect(creditCodeCheckChar('91350100M000100Y4')).toBe('3');
  });

  it('maps a sum that is a multiple of 31 to the check character 0', () => {
    // find a 17-character prefix whose weighted sum is ≡ 0 (mod 31): its check must be '0'
    const base = '9111000000000000';
    const prefix = [...'0123456789ABCDEFGHJKLMNPQRTUWXY']
      .map((c) => base + c)
      .find((p) => creditCodeCheckChar(p) === '0');
    expect(prefix).toBeDefined();
    expect(isValidCreditCode(`${prefix ?? ''}0`)).toBe(true);
  });
});

describe('公民身份号码 (GB 11643-1999)', () => {
  it('checks the MOD 11-2 check digit, X included', () => {
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('440524188001010014')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
    expect(isValidIdNumber('11010519491331002X')).toBe(false); // month 13
  });
});

describe('mobile numbers', () => {
  it('takes 11 digits starting 13–19 only', () => {
    expect(MOBILE.test('13900000001')).toBe(true);
    expect(MOBILE.test('12900000001')).toBe(false);
    expect(MOBILE.test('1390000000')).toBe(false);
  });
});
