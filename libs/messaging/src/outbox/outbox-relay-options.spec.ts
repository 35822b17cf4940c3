import { resolveOutboxRelayOptions } from '../messaging-options.js';

describe('resolveOutboxRelayOptions', () => {
  it('leases a claimed row for longer than one publish may take, by default', () => {
    const { leaseMs, publishTimeoutMs, publishConcurrency } = resolveOutboxRelayOptions();

    expect(leaseMs).toBeGreaterThan(publishTimeoutMs);
    expect(publishConcurrency).toBe(16);
  });

  it.each([
    { leaseMs: 30_000, publishTimeoutMs: 30_000 },
    { leaseMs: 1_000, publishTimeoutMs: 5_000 },
  ])(
    'refuses a lease ($leaseMs ms) that could end before its publish times out ($publishTimeoutMs ms)',
    (options) => {
      expect(() => resolveOutboxRelayOptions(options)).toThrow(
        /lease .* must be longer than the publish timeout/,
      );
    },
  );

  it.each([0, -1, 2.5])('refuses a publish concurrency of %p', (publishConcurrency) => {
    expect(() => resolveOutboxRelayOptions({ publishConcurrency })).toThrow(
      /publish concurrency must be a positive integer/,
    );
  });
});
