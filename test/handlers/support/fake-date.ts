/** The time the first test of a file starts at. */
const FIRST_TEST_START = Date.UTC(2026, 10, 22, 12, 0, 0);

export interface FakeDate {
  /** Moves the date on by `ms`. */
  advance(ms: number): void;
}

/**
 * Fakes only Date, from a fixed time: the local DynamoDB, decoy waits and other timers stay real. Every test
 * starts a day later than the previous one, far from the windows of earlier tests.
 */
export function fakeDate(): FakeDate {
  let testStart = FIRST_TEST_START;
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'hrtime', 'performance'] });
    jest.setSystemTime(testStart);
  });
  afterEach(() => {
    testStart += 24 * 3_600_000;
    jest.useRealTimers();
  });
  return {
    advance: (ms) => jest.setSystemTime(Date.now() + ms),
  };
}
