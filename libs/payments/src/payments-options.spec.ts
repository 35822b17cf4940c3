import { resolvePaymentsOptions } from './payments-options.js';

describe('resolvePaymentsOptions', () => {
  it('fills in a provider that answers in about 20 ms and never fails', () => {
    expect(resolvePaymentsOptions().provider).toEqual({
      latencyMs: 20,
      declineRate: 0,
      outageRate: 0,
      timeoutRate: 0,
      outageFirstCalls: 0,
    });
  });

  it('keeps the default of an option given as undefined', () => {
    const { provider, worker } = resolvePaymentsOptions({
      provider: { latencyMs: undefined, declineRate: 0.25 },
      worker: { pollIntervalMs: undefined },
    });

    expect(provider).toMatchObject({ latencyMs: 20, declineRate: 0.25 });
    expect(worker.pollIntervalMs).toBe(500);
  });

  it('makes the default lease outlast the longest possible provider call', () => {
    const { providerCall, worker } = resolvePaymentsOptions({
      providerCall: { timeoutMs: 1_000, maxAttempts: 4, retryMaxMs: 500 },
    });

    expect(providerCall).toMatchObject({ timeoutMs: 1_000, maxAttempts: 4 });
    expect(worker.leaseMs).toBeGreaterThan(4 * 1_000 + 3 * 500);
  });

  it('refuses a lease shorter than one provider call, naming the option', () => {
    expect(() =>
      resolvePaymentsOptions({ providerCall: { timeoutMs: 5_000 }, worker: { leaseMs: 1_000 } }),
    ).toThrow(/worker\.leaseMs/);
  });

  it.each([
    ['declineRate', 1.5],
    ['outageRate', -0.1],
    ['timeoutRate', Number.NaN],
  ])('refuses a %s of %p', (name, value) => {
    expect(() => resolvePaymentsOptions({ provider: { [name]: value } })).toThrow(
      new RegExp(`provider\\.${name}`),
    );
  });
});
