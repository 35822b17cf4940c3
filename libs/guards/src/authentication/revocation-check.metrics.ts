import { Counter, type Registry } from 'prom-client';

export const REVOCATION_CHECKS_SKIPPED_METRIC = 'revocation_checks_skipped_total';

/**
 * How many access tokens were accepted without checking revocation because Redis failed (ADR
 * 0042: the check fails open). Non-zero means a deleted user's unexpired token may have passed.
 */
export class RevocationCheckMetrics {
  private readonly skipped: Counter;

  constructor(registry: Registry) {
    // A second app in the same process (tests) reuses the series instead of failing to register.
    this.skipped =
      (registry.getSingleMetric(REVOCATION_CHECKS_SKIPPED_METRIC) as Counter | undefined) ??
      new Counter({
        name: REVOCATION_CHECKS_SKIPPED_METRIC,
        help: 'Access tokens accepted without a revocation check because Redis was unreachable',
        registers: [registry],
      });
  }

  recordSkippedCheck(): void {
    this.skipped.inc();
  }
}
