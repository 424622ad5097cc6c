import { deliverableValue, destinationFor, hasVerifiedIdentifier, isAllowedPhoneNumber } from '../../lambda/core/destination';

test('email codes go only to a verified address', () => {
  expect(destinationFor('email-otp', { email: 'a@example.com', email_verified: 'true' }, [])).toBe('a@example.com');
  expect(destinationFor('email-otp', { email: 'a@example.com', email_verified: 'false' }, [])).toBeUndefined();
  expect(destinationFor('email-otp', { email: 'a@example.com' }, [])).toBeUndefined();
});

test('SMS codes go only to a verified number inside the allow-list', () => {
  const verified = (phone: string) => ({ phone_number: phone, phone_number_verified: 'true' });
  expect(destinationFor('sms-otp', verified('+14155550100'), ['1'])).toBe('+14155550100');
  expect(destinationFor('sms-otp', verified('+447700900123'), ['1'])).toBeUndefined();
  expect(destinationFor('sms-otp', { phone_number: '+14155550100', phone_number_verified: 'false' }, ['1'])).toBeUndefined();
});

test.each(['14155550100', '+1 415 555 0100', '+0123456789', '+1234', `+1${'2'.repeat(20)}`, '+1415555O100'])(
  '%s is not an allowed E.164 number',
  (phone) => expect(isAllowedPhoneNumber(phone, ['1'])).toBe(false),
);

describe('the pending sign-up rule', () => {
  const unverifiedEmail = { email: 'new@example.com', email_verified: 'false' };

  test('an unverified email gets codes when it is the pending sign-up attribute and nothing is verified', () => {
    expect(destinationFor('email-otp', unverifiedEmail, [], 'email')).toBe('new@example.com');
    expect(destinationFor('email-otp', { email: 'new@example.com' }, [], 'email')).toBe('new@example.com');
  });

  test('without a pending sign-up the unverified email gets nothing', () => {
    expect(destinationFor('email-otp', unverifiedEmail, [])).toBeUndefined();
  });

  test('a pending sign-up for the other attribute does not open the unverified email', () => {
    expect(destinationFor('email-otp', { ...unverifiedEmail, phone_number: '+14155550100' }, ['1'], 'phone_number')).toBeUndefined();
  });

  test('once anything is verified, the pending marker no longer opens an unverified value', () => {
    const withVerifiedPhone = { ...unverifiedEmail, phone_number: '+14155550100', phone_number_verified: 'true' };
    expect(destinationFor('email-otp', withVerifiedPhone, ['1'], 'email')).toBeUndefined();
    expect(destinationFor('sms-otp', withVerifiedPhone, ['1'], 'email')).toBe('+14155550100');
  });

  test('a pending phone number gets codes only inside the allow-list', () => {
    const phone = (value: string) => ({ phone_number: value, phone_number_verified: 'false' });
    expect(destinationFor('sms-otp', phone('+14155550100'), ['1'], 'phone_number')).toBe('+14155550100');
    expect(destinationFor('sms-otp', phone('+33612345678'), ['1'], 'phone_number')).toBeUndefined();
    expect(destinationFor('sms-otp', phone('+1 415 555 0100'), ['1'], 'phone_number')).toBeUndefined();
  });

  test('a pending sign-up without a value for its attribute gets nothing', () => {
    expect(destinationFor('email-otp', {}, [], 'email')).toBeUndefined();
    expect(destinationFor('email-otp', { email: '', email_verified: 'true' }, [], 'email')).toBeUndefined();
  });

  test('deliverableValue: a verified value, or the pending one while nothing is verified', () => {
    expect(deliverableValue('email', { email: 'a@example.com', email_verified: 'true' })).toBe('a@example.com');
    expect(deliverableValue('email', { email: 'a@example.com', email_verified: 'true', phone_number_verified: 'true' }, 'email')).toBe('a@example.com');
    expect(deliverableValue('email', unverifiedEmail, 'email')).toBe('new@example.com');
    expect(deliverableValue('email', unverifiedEmail)).toBeUndefined();
  });

  test('hasVerifiedIdentifier: only the literal "true" of email_verified or phone_number_verified counts', () => {
    expect(hasVerifiedIdentifier({ email_verified: 'true' })).toBe(true);
    expect(hasVerifiedIdentifier({ phone_number_verified: 'true' })).toBe(true);
    expect(hasVerifiedIdentifier({ email_verified: 'false', phone_number_verified: 'TRUE' })).toBe(false);
    expect(hasVerifiedIdentifier({ custom_verified: 'true' })).toBe(false);
    expect(hasVerifiedIdentifier({})).toBe(false);
  });
});
