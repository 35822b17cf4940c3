import { equalJitterDelay, fullJitterDelay } from './full-jitter-backoff.js';

const backoff = { baseDelayMs: 100, maxDelayMs: 1_000 };
const highest = (): number => 0.999_999;

describe('fullJitterDelay', () => {
  it('doubles the ceiling with every retry until it reaches the cap', () => {
    const ceilings = [1, 2, 3, 4, 5, 6].map((retry) => fullJitterDelay(retry, backoff, highest));

    expect(ceilings).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('picks any delay from zero to the ceiling, in proportion to the random draw', () => {
    expect(fullJitterDelay(3, backoff, () => 0)).toBe(0);
    expect(fullJitterDelay(3, backoff, () => 0.25)).toBe(100);
    expect(fullJitterDelay(3, backoff, () => 0.5)).toBe(200);
  });

  it('stays within [0, cap] for any draw, however many retries came before', () => {
    for (let retry = 1; retry <= 60; retry += 1) {
      const delay = fullJitterDelay(retry, backoff);

      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(backoff.maxDelayMs);
    }
  });
});

describe('equalJitterDelay', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it.each([
    [1, 0, 50],
    [1, 0.999, 100],
    [3, 0, 200],
    [3, 0.5, 300],
    [10, 0, 500],
    [10, 0.999, 1_000],
  ])(
    'retry %i with random %f waits %i ms: half fixed, half random, capped',
    (retry, random, expected) => {
      expect(equalJitterDelay(retry, options, () => random)).toBe(expected);
    },
  );
});
