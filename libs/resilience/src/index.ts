export {
  CALL_OUTCOMES,
  type CallOutcome,
  CircuitBreaker,
  type CircuitBreakerObserver,
  type CircuitBreakerOptions,
  type CircuitState,
} from './circuit-breaker.js';
export {
  CIRCUIT_BREAKER_CALLS_METRIC,
  CIRCUIT_BREAKER_STATE_METRIC,
  CIRCUIT_STATE_VALUES,
  CircuitBreakerMetrics,
} from './circuit-breaker.metrics.js';
export { CircuitBreakerRegistry } from './circuit-breaker.registry.js';
export {
  type BackoffOptions,
  equalJitterDelay,
  fullJitterDelay,
  type Random,
} from './full-jitter-backoff.js';
export {
  isTransient,
  type TransientErrorPredicate,
  type TransientFailure,
} from './is-transient.js';
export {
  CircuitOpenError,
  RESILIENCE_ERROR_CODES,
  ResilienceError,
  type ResilienceErrorCode,
  RetriesExhaustedError,
  TimeoutError,
} from './resilience.errors.js';
export {
  type ExecuteOptions,
  ResiliencePolicy,
  type ResiliencePolicyOptions,
} from './resilience-policy.js';
export { ResilienceModule } from './resilience.module.js';
export {
  type RetryEvent,
  type RetryOptions,
  retryWithBackoff,
  type RetryWithBackoffOptions,
} from './retry-with-backoff.js';
export { type Sleep, sleep } from './sleep.js';
export { PollingLoop, type PollingSteps } from './polling-loop.js';
export { WakeUpLatch } from './wake-up-latch.js';
export { type TimeoutOptions, withTimeout } from './with-timeout.js';
