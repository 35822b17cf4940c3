import { CircuitOpenError } from '#lib/resilience';
import { PaymentRetrySchedule } from './payment-retry.schedule.js';
import { PaymentSettings } from './payment-settings.js';

const settings = new PaymentSettings(1_000, 8_000, 60_000, 30_000, 10);
const transient = Object.assign(new Error('503'), { transient: true });

describe('PaymentRetrySchedule', () => {
  it.each([
    [1, 0, 500],
    [1, 1, 1_000],
    [2, 0, 1_000],
    [3, 0.5, 3_000],
    [4, 1, 8_000],
    [10, 0, 4_000],
    [10, 1, 8_000],
  ])(
    'waits between half and all of min(max, base * 2^(n-1)) after attempt %i (random %p): %i ms',
    (attempt, random, expected) => {
      expect(new PaymentRetrySchedule(settings, () => random).delayMs(attempt, transient)).toBe(
        expected,
      );
    },
  );

  it('waits for an open breaker to let a trial call through, plus jitter, whatever the attempt', () => {
    const open = new CircuitOpenError('payment-provider', 10_000);

    expect(new PaymentRetrySchedule(settings, () => 0).delayMs(7, open)).toBe(10_000);
    expect(new PaymentRetrySchedule(settings, () => 0.5).delayMs(7, open)).toBe(10_500);
  });

  it('dates the retry from now', () => {
    const now = new Date('2026-01-01T00:00:00.000Z');

    expect(new PaymentRetrySchedule(settings, () => 0).retryAt(1, transient, now)).toEqual(
      new Date('2026-01-01T00:00:00.500Z'),
    );
  });
});
