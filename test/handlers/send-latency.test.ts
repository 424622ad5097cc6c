import { createSendLatency } from '../../lambda/core/send-latency';

describe('createSendLatency', () => {
  test('before any send, the decoy is the initial estimate within +-10%', () => {
    const latency = createSendLatency(100);
    expect(latency.decoyDelayMs(() => 0)).toBeCloseTo(90);
    expect(latency.decoyDelayMs(() => 0.5)).toBeCloseTo(100);
    expect(latency.decoyDelayMs(() => 0.999999)).toBeCloseTo(110);
  });

  test('after sends, the decoy is one of the observed durations, each as likely', () => {
    const latency = createSendLatency(100);
    [5, 7, 30].forEach((duration) => latency.observe(duration));
    expect([0, 0.34, 0.67, 0.999999].map((draw) => latency.decoyDelayMs(() => draw))).toEqual([5, 7, 30, 30]);
  });

  test('keeps the 32 latest durations only, so the decoy follows a warming container', () => {
    const latency = createSendLatency(100);
    for (let i = 0; i < 40; i++) latency.observe(i < 8 ? 1000 : 10);
    const draws = Array.from({ length: 100 }, (_, i) => latency.decoyDelayMs(() => i / 100));
    expect(new Set(draws)).toEqual(new Set([10]));
  });

  test('keeps the skew of real durations: the median decoy is the median send, not the mean', () => {
    const latency = createSendLatency(100);
    const durations = [10, 10, 11, 11, 12, 12, 13, 60];
    durations.forEach((duration) => latency.observe(duration));
    const draws = Array.from({ length: 800 }, (_, i) => latency.decoyDelayMs(() => i / 800)).sort((a, b) => a - b);
    expect(draws[400]).toBe(12);
  });
});
