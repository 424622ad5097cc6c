import { attributeLabel, checkEmail, checkPhoneNumber } from '../../lambda/core/identifier';

const ALLOWED = ['1', '44'];

describe('checkEmail', () => {
  test('trims surrounding spaces and lowercases the address', () => {
    expect(checkEmail('  Alice.Smith@Example.COM\t')).toEqual({ ok: true, attribute: 'email', value: 'alice.smith@example.com' });
  });

  test.each([
    ['two addresses', 'a@example.com,b@example.com', 'email must contain exactly one @ with a local part before it'],
    ['a display name', 'Alice <a@example.com>', 'email must be printable ASCII without spaces or line breaks (write an international domain in punycode)'],
    ['a line break', 'a@example.com\nBcc: eve@evil.com', 'email must be printable ASCII without spaces or line breaks (write an international domain in punycode)'],
    ['no domain', 'alice@', 'email must end in a domain name such as example.com'],
    ['an empty string', '', 'email must be 1 to 254 characters'],
    ['an absurdly long address', `${'a'.repeat(64)}@${'b'.repeat(300)}.com`, 'email must be 1 to 254 characters'],
  ])('refuses %s with the reason', (_, input, reason) => {
    expect(checkEmail(input)).toEqual({ ok: false, reason });
  });
});

describe('checkPhoneNumber', () => {
  test.each([
    ['+14155550100', '+14155550100'],
    ['+1 415 555 0100', '+14155550100'],
    ['+1 (415) 555-0100', '+14155550100'],
    ['+1.415.555.0100', '+14155550100'],
    ['+44\t7700 900123', '+447700900123'],
  ])('%j has its separators removed: %s', (input, value) => {
    expect(checkPhoneNumber(input, ALLOWED)).toEqual({ ok: true, attribute: 'phone_number', value });
  });

  test('accepts E.164 numbers from 7 to 15 digits', () => {
    expect(checkPhoneNumber('+1234567', ['1'])).toMatchObject({ ok: true, value: '+1234567' });
    expect(checkPhoneNumber(`+1${'2'.repeat(14)}`, ['1'])).toMatchObject({ ok: true, value: `+1${'2'.repeat(14)}` });
  });

  const E164_REASON = 'phone number must be in E.164 format: + and 7 to 15 digits, e.g. +14155550100';

  test.each([
    ['no leading +', '14155550100'],
    ['a leading 00', '0014155550100'],
    ['country code 0', '+04155550100'],
    ['6 digits', '+123456'],
    ['16 digits', `+1${'2'.repeat(15)}`],
    ['a letter O for a zero', '+1415555O100'],
    ['an extension', '+14155550100x12'],
    ['a line break inside', '+1415555\n0100'],
    ['two numbers', '+14155550100,+14155550101'],
    ['Arabic-Indic digits', '+١٤١٥٥٥٥٠١٠٠'],
    ['full-width digits', '+１４１５５５５０１００'],
    ['a full-width plus', '＋14155550100'],
    ['only separators', ' ( ) - . '],
  ])('refuses %s as not E.164', (_, input) => {
    expect(checkPhoneNumber(input, ALLOWED)).toEqual({ ok: false, reason: E164_REASON });
  });

  test('refuses absurd lengths before looking at the characters', () => {
    expect(checkPhoneNumber(`+1${'5'.repeat(10_000)}`, ALLOWED)).toEqual({ ok: false, reason: 'phone number must be at most 32 characters' });
    expect(checkPhoneNumber(`+1 415 555 0100${' '.repeat(20)}`, ALLOWED)).toEqual({ ok: false, reason: 'phone number must be at most 32 characters' });
  });

  test('accepts a number of exactly 32 characters with separators', () => {
    const input = '+1 (415) 555-0100'.padEnd(32, ' ');
    expect(input).toHaveLength(32);
    expect(checkPhoneNumber(input, ALLOWED)).toMatchObject({ ok: true, value: '+14155550100' });
  });

  test('refuses a well-formed number outside the country calling-code allow-list', () => {
    expect(checkPhoneNumber('+33612345678', ALLOWED)).toEqual({ ok: false, reason: 'phone number must have one of the allowed country calling codes' });
  });

  test('refuses every number when the allow-list is empty', () => {
    expect(checkPhoneNumber('+14155550100', [])).toEqual({ ok: false, reason: 'phone number must have one of the allowed country calling codes' });
  });
});

test('attributeLabel names the attribute as users call it', () => {
  expect(attributeLabel('email')).toBe('email address');
  expect(attributeLabel('phone_number')).toBe('phone number');
});
