import { withAlikeTiming } from '../../lambda/core/alike-timing';

function latencyOf(decoyMs: number) {
  return { observe: jest.fn(), decoyDelayMs: jest.fn(() => decoyMs) };
}

describe('withAlikeTiming', () => {
  test('a real outcome is timed and kept, and waits for nothing', async () => {
    const latency = latencyOf(1000);
    const sleep = jest.fn(async () => undefined);

    const value = await withAlikeTiming(latency, sleep, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { value: 'created', real: true };
    });

    expect(value).toBe('created');
    expect(latency.observe).toHaveBeenCalledTimes(1);
    expect(latency.observe.mock.calls[0][0]).toBeGreaterThanOrEqual(15);
    expect(sleep).not.toHaveBeenCalled();
  });

  test('any other outcome waits a kept duration less the time its own work took', async () => {
    const latency = latencyOf(200);
    const sleep = jest.fn(async (_ms: number) => undefined);

    const value = await withAlikeTiming(latency, sleep, async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { value: 'found', real: false };
    });

    expect(value).toBe('found');
    expect(latency.observe).not.toHaveBeenCalled();
    const waited = sleep.mock.calls[0][0];
    expect(waited).toBeLessThanOrEqual(175);
    expect(waited).toBeGreaterThan(100);
  });

  test('work that took longer than the drawn duration waits nothing more', async () => {
    const sleep = jest.fn(async (_ms: number) => undefined);
    await withAlikeTiming(latencyOf(1), sleep, async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      return { value: undefined, real: false };
    });
    expect(sleep).toHaveBeenCalledWith(0);
  });

  test('a failure is thrown as it is, and neither timed nor padded', async () => {
    const latency = latencyOf(100);
    const sleep = jest.fn(async () => undefined);
    const failure = new Error('AdminCreateUser failed');
    await expect(withAlikeTiming(latency, sleep, async () => Promise.reject(failure))).rejects.toBe(failure);
    expect(latency.observe).not.toHaveBeenCalled();
    expect(sleep).not.toHaveBeenCalled();
  });
});
