import { challengeFor } from '../../lambda/core/challenge-parameters';

test('the first round offers the enabled methods and carries no secret', () => {
  expect(challengeFor(0, ['email-otp', 'sms-otp'], 6)).toEqual({
    kind: 'CHOOSE',
    publicParameters: { challenge: 'CHOOSE', methods: 'email-otp,sms-otp' },
    privateParameters: { challenge: 'CHOOSE' },
  });
});

test('later rounds ask for a code of the configured length', () => {
  expect(challengeFor(2, ['email-otp'], 8)).toEqual({
    kind: 'CODE',
    publicParameters: { challenge: 'CODE', codeLength: '8' },
    privateParameters: { challenge: 'CODE' },
  });
});
