import { Counter, type Registry } from 'prom-client';

export const THROTTLE_FALLBACK_DECISIONS_METRIC = 'throttle_fallback_decisions_total';

type LimiterLabel = 'limiter';

/**
 * How many rate-limit decisions were taken by the in-process fallback because Redis failed, per
 * limiter (the throttler name: `default`, `login-source`, ...). Non-zero means limits were held
 * per replica only, not across replicas.
 */
export class ThrottleFallbackMetrics {
  private readonly decisions: Counter<LimiterLabel>;

  constructor(registry: Registry) {
    // A second app in the same process (tests) reuses the series instead of failing to register.
    this.decisions =
      (registry.getSingleMetric(THROTTLE_FALLBACK_DECISIONS_METRIC) as
        Counter<LimiterLabel> | undefined) ??
      new Counter<LimiterLabel>({
        name: THROTTLE_FALLBACK_DECISIONS_METRIC,
        help: 'Rate-limit decisions taken by the in-process fallback while Redis was unreachable, per limiter',
        labelNames: ['limiter'],
        registers: [registry],
      });
  }

  recordFallbackDecision(limiter: string): void {
    this.decisions.inc({ limiter });
  }
}
