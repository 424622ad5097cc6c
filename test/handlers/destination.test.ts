import { destinationFor, isAllowedPhoneNumber } from '../../lambda/core/destination';

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
