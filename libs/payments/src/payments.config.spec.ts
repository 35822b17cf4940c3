import { paymentsConfig } from './payments.config.js';
import { resolvePaymentsOptions } from './payments-options.js';

describe('the payments config section', () => {
  it('reads fractional rates for the simulated provider, and the module accepts the result', () => {
    const config = paymentsConfig.load({ PAYMENT_PROVIDER_DECLINE_RATE: '0.25' });
    expect(config.provider.declineRate).toBe(0.25);
    expect(config.breaker.resetTimeoutMs).toBe(10_000);
    expect(resolvePaymentsOptions(config).provider.declineRate).toBe(0.25);
  });

  it.each([
    ['PAYMENT_PROVIDER_DECLINE_RATE', '1.5'],
    ['PAYMENT_PROVIDER_OUTAGE_RATE', 'half'],
    ['PAYMENT_BREAKER_ERROR_THRESHOLD_PERCENT', '0'],
    ['PAYMENT_WORKER_ENABLED', 'sometimes'],
  ])('refuses %s=%s and names the variable', (name, value) => {
    expect(() => paymentsConfig.load({ [name]: value })).toThrow(name);
  });
});
