import { checkEmailAddress } from '../../lambda/core/email-address';

describe('accepted addresses', () => {
  test.each([
    ['jane@example.com', 'jane@example.com'],
    ['Jane.Doe@Example.COM', 'jane.doe@example.com'],
    ['  jane@example.com\t', 'jane@example.com'],
    ['jane+sign-in@mail.example.co.uk', 'jane+sign-in@mail.example.co.uk'],
    ["o'brien_1@example.com", "o'brien_1@example.com"],
    ['jane@xn--bcher-kva.example', 'jane@xn--bcher-kva.example'],
    ['j@e.io', 'j@e.io'],
  ])('%j is normalized to %j', (input, email) => {
    expect(checkEmailAddress(input)).toEqual({ ok: true, email });
  });

  test('an address of exactly 254 characters passes', () => {
    const address = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(57)}.com`;
    expect(address).toHaveLength(254);
    expect(checkEmailAddress(address).ok).toBe(true);
  });
});

describe('refused inputs (R20, adversarial case 14)', () => {
  test.each([
    ['a list', 'jane@example.com,eve@evil.com'],
    ['a list with a space', 'jane@example.com, eve@evil.com'],
    ['a semicolon list', 'jane@example.com;eve@evil.com'],
    ['a display name', 'Jane <jane@example.com>'],
    ['angle brackets only', '<jane@example.com>'],
    ['a group', 'friends: jane@example.com;'],
    ['a space inside', 'jane doe@example.com'],
    ['a CR/LF header injection', 'jane@example.com\r\nBcc: eve@evil.com'],
    ['a trailing line feed', 'jane@example.com\n'],
    ['a leading carriage return', '\rjane@example.com'],
    ['a NUL byte', 'jane@example.com\u0000'],
    ['a quoted local part', '"jane doe"@example.com'],
    ['a quoted @', '"eve@evil.com"@example.com'],
    ['a comment', 'jane(comment)@example.com'],
    ['a comment after the domain', 'jane@example.com(eve@evil.com)'],
    ['two @', 'jane@eve@example.com'],
    ['no @', 'jane.example.com'],
    ['nothing before the @', '@example.com'],
    ['a fullwidth @', 'jane\uff20example.com'],
    ['fullwidth letters', '\uff4aane@example.com'],
    ['a Kelvin sign that lowercases to k', '\u212aate@example.com'],
    ['a dotless i', 'jan\u0131@example.com'],
    ['a Cyrillic lookalike in the domain', 'jane@\u0435xample.com'],
    ['a unicode domain', 'jane@b\u00fccher.example'],
    ['a no-break space around it', '\u00a0jane@example.com'],
    ['a zero-width space', 'jane\u200b@example.com'],
    ['a byte-order mark', '\ufeffjane@example.com'],
    ['a domain without a TLD', 'jane@localhost'],
    ['an IP literal', 'jane@[127.0.0.1]'],
    ['an IPv6 literal', 'jane@[IPv6:::1]'],
    ['a bare IP address', 'jane@192.168.0.1'],
    ['a numeric TLD', 'jane@example.123'],
    ['a leading dot', '.jane@example.com'],
    ['a trailing dot before the @', 'jane.@example.com'],
    ['two dots', 'ja..ne@example.com'],
    ['a dot after the @', 'jane@.example.com'],
    ['a trailing dot on the domain', 'jane@example.com.'],
    ['an empty label', 'jane@example..com'],
    ['a hyphen at a label edge', 'jane@-example.com'],
    ['an underscore in the domain', 'jane@ex_ample.com'],
    ['a backslash', 'jane\\@example.com'],
    ['a percent route', 'jane@example.com%evil.com'],
    ['a local part over 64 characters', `${'a'.repeat(65)}@example.com`],
    ['a label over 63 characters', `jane@${'b'.repeat(64)}.com`],
    ['an empty string', ''],
    ['only spaces', '   '],
  ])('%s: %j', (_, input) => {
    const result = checkEmailAddress(input);
    expect(result.ok).toBe(false);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(/^email /) });
  });

  test('over 254 characters is refused with the limit in the message', () => {
    const address = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}.com`;
    expect(checkEmailAddress(address)).toEqual({ ok: false, reason: 'email must be 1 to 254 characters' });
  });

  test('a megabyte of input is refused at once', () => {
    const started = performance.now();
    expect(checkEmailAddress(`${'a'.repeat(1_000_000)}@example.com`).ok).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
  });

  test('each refusal says what is wrong', () => {
    expect(checkEmailAddress('Jane <jane@example.com>')).toEqual({
      ok: false,
      reason: 'email must be printable ASCII without spaces or line breaks (write an international domain in punycode)',
    });
    expect(checkEmailAddress('jane@eve@example.com')).toEqual({ ok: false, reason: 'email must contain exactly one @ with a local part before it' });
    expect(checkEmailAddress('"jane"@example.com')).toEqual({ ok: false, reason: 'email has characters not allowed before the @' });
    expect(checkEmailAddress('jane@localhost')).toEqual({ ok: false, reason: 'email must end in a domain name such as example.com' });
  });
});
