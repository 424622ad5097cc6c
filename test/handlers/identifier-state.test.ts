import { OtpLimits } from '../../lambda/core/config';
import { EMPTY_STATE, expiryOf, planCodeRequest } from '../../lambda/core/identifier-state';

const limits: OtpLimits = {
  codeLength: 6,
  codeTtlMs: 180_000,
  maxAttempts: 3,
  sendCooldownMs: 60_000,
  maxSendsPerHour: 5,
  maxFailures: 10,
  failureWindowMs: 3_600_000,
};
const now = 10_000_000_000;

test('a first request is allowed and recorded as a send', () => {
  expect(planCodeRequest(EMPTY_STATE, now, limits)).toEqual({ allowed: true, sends: [now], failures: [] });
});

test('a request inside the cooldown is refused', () => {
  const state = { ...EMPTY_STATE, sends: [now - 59_000] };
  expect(planCodeRequest(state, now, limits)).toEqual({ allowed: false, reason: 'cooldown' });
});

test('the hourly quota slides: the sixth send in an hour is refused, a send an hour old no longer counts', () => {
  const fiveSends = [1, 2, 3, 4, 5].map((i) => now - i * 600_000 + 1);
  expect(planCodeRequest({ ...EMPTY_STATE, sends: fiveSends }, now, limits)).toEqual({ allowed: false, reason: 'quota' });
  const plan = planCodeRequest({ ...EMPTY_STATE, sends: fiveSends }, now + 600_001, limits);
  expect(plan.allowed).toBe(true);
});

test('too many recent failures lock the identifier; old ones are forgotten', () => {
  const failures = Array.from({ length: 10 }, (_, i) => now - i * 1000);
  expect(planCodeRequest({ ...EMPTY_STATE, failures }, now, limits)).toEqual({ allowed: false, reason: 'locked' });
  const later = planCodeRequest({ ...EMPTY_STATE, failures }, now + 3_600_000, limits);
  expect(later).toEqual({ allowed: true, sends: [now + 3_600_000], failures: [] });
});

test('the item lives as long as its longest window', () => {
  expect(expiryOf(now, limits)).toBe((now + 86_400_000) / 1000);
  expect(expiryOf(now, { ...limits, failureWindowMs: 2 * 86_400_000 })).toBe((now + 2 * 86_400_000) / 1000);
});
