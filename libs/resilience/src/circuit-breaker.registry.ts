import { Logger, type LoggerService, type OnModuleDestroy } from '@nestjs/common';
import { register, type Registry } from 'prom-client';
import {
  CircuitBreaker,
  type CircuitBreakerObserver,
  type CircuitBreakerOptions,
  type CircuitState,
} from './circuit-breaker.js';
import { CircuitBreakerMetrics } from './circuit-breaker.metrics.js';

/**
 * Creates the process's named circuit breakers, exports their state and calls to Prometheus and
 * logs every state change. One breaker per downstream dependency: all callers of the payment
 * provider share "payment-provider", so they all stop calling it together when it is down.
 */
export class CircuitBreakerRegistry implements OnModuleDestroy {
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly metrics: CircuitBreakerMetrics;
  private readonly observer: CircuitBreakerObserver;

  constructor(
    /** The default prom-client registry is the one `/metrics` serves. */
    metricsRegistry: Registry = register,
    private readonly logger: Pick<LoggerService, 'log' | 'warn'> = new Logger('CircuitBreaker'),
  ) {
    this.metrics = new CircuitBreakerMetrics(metricsRegistry);
    this.observer = {
      stateChanged: (breaker, from, to) => {
        this.metrics.recordState(breaker, to);
        this.logStateChange(breaker, from, to);
      },
      callCompleted: (breaker, outcome) => this.metrics.recordCall(breaker, outcome),
    };
  }

  /** A new breaker named `name`; two breakers with one name would export one conflicting series. */
  create(name: string, options: CircuitBreakerOptions): CircuitBreaker {
    if (this.breakers.has(name)) {
      throw new Error(`a circuit breaker named "${name}" already exists; get() it instead`);
    }
    const breaker = new CircuitBreaker(name, options, this.observer);
    this.breakers.set(name, breaker);
    this.metrics.track(name, breaker.state);
    return breaker;
  }

  get(name: string): CircuitBreaker | undefined {
    return this.breakers.get(name);
  }

  onModuleDestroy(): void {
    for (const breaker of this.breakers.values()) breaker.shutdown();
    this.breakers.clear();
  }

  private logStateChange(breaker: string, from: CircuitState, to: CircuitState): void {
    const fields = { breaker, from, to };
    if (to === 'open') {
      this.logger.warn(
        fields,
        `circuit breaker "${breaker}" opened: calls fail fast until it half-opens`,
      );
    } else if (to === 'half_open') {
      this.logger.log(
        fields,
        `circuit breaker "${breaker}" half-open: letting one trial call through`,
      );
    } else {
      this.logger.log(fields, `circuit breaker "${breaker}" closed: calls flow again`);
    }
  }
}
