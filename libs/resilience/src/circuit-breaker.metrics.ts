import { Counter, Gauge, type Registry } from 'prom-client';
import { CALL_OUTCOMES, type CallOutcome, type CircuitState } from './circuit-breaker.js';

export const CIRCUIT_BREAKER_STATE_METRIC = 'circuit_breaker_state';
export const CIRCUIT_BREAKER_CALLS_METRIC = 'circuit_breaker_calls_total';

/** The gauge's values: ordered so that "higher is worse" and `max()` across replicas reads well. */
export const CIRCUIT_STATE_VALUES: Readonly<Record<CircuitState, number>> = {
  closed: 0,
  half_open: 1,
  open: 2,
};

type BreakerLabel = 'breaker';
type CallLabel = 'breaker' | 'outcome';

/** Prometheus series of every breaker: its state, and its calls by outcome. */
export class CircuitBreakerMetrics {
  private readonly state: Gauge<BreakerLabel>;
  private readonly calls: Counter<CallLabel>;

  constructor(registry: Registry) {
    // A second app in the same process (tests) reuses the series instead of failing to register.
    this.state =
      (registry.getSingleMetric(CIRCUIT_BREAKER_STATE_METRIC) as Gauge<BreakerLabel> | undefined) ??
      new Gauge<BreakerLabel>({
        name: CIRCUIT_BREAKER_STATE_METRIC,
        help: 'State of each circuit breaker: 0 closed, 1 half-open, 2 open',
        labelNames: ['breaker'],
        registers: [registry],
      });
    this.calls =
      (registry.getSingleMetric(CIRCUIT_BREAKER_CALLS_METRIC) as Counter<CallLabel> | undefined) ??
      new Counter<CallLabel>({
        name: CIRCUIT_BREAKER_CALLS_METRIC,
        help: 'Calls through each circuit breaker by outcome: success, failure, timeout, permanent_error (a final answer such as a decline, not counted against the breaker), short_circuited (refused while open)',
        labelNames: ['breaker', 'outcome'],
        registers: [registry],
      });
  }

  /** Exports a new breaker's series at once, so rate() and alerts see zeros, not gaps. */
  track(breaker: string, state: CircuitState): void {
    this.recordState(breaker, state);
    for (const outcome of CALL_OUTCOMES) this.calls.inc({ breaker, outcome }, 0);
  }

  recordState(breaker: string, state: CircuitState): void {
    this.state.set({ breaker }, CIRCUIT_STATE_VALUES[state]);
  }

  recordCall(breaker: string, outcome: CallOutcome): void {
    this.calls.inc({ breaker, outcome });
  }
}
