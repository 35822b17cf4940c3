import { jest } from '@jest/globals';
import {
  type CallOutcome,
  CircuitBreaker,
  type CircuitBreakerObserver,
  type CircuitState,
} from './circuit-breaker.js';
import {
  CircuitOpenError,
  RESILIENCE_ERROR_CODES,
  RetriesExhaustedError,
  TimeoutError,
} from './resilience.errors.js';

class ProviderUnavailableError extends Error {
  readonly transient = true;
}

class CardDeclinedError extends Error {
  readonly code = 'PAYMENTS.CARD_DECLINED';
}

const options = { errorThresholdPercentage: 50, volumeThreshold: 4, resetTimeoutMs: 30 };

async function waitUntil(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function recordingObserver(): CircuitBreakerObserver & {
  transitions: string[];
  outcomes: CallOutcome[];
} {
  const transitions: string[] = [];
  const outcomes: CallOutcome[] = [];
  return {
    transitions,
    outcomes,
    stateChanged: (_breaker, from: CircuitState, to: CircuitState) =>
      transitions.push(`${from}->${to}`),
    callCompleted: (_breaker, outcome) => outcomes.push(outcome),
  };
}

const failWith = (error: Error) => async (): Promise<never> => Promise.reject(error);

async function failTimes(breaker: CircuitBreaker, times: number, error: Error): Promise<void> {
  for (let call = 0; call < times; call += 1) {
    await breaker.fire(failWith(error)).catch(() => undefined);
  }
}

describe('CircuitBreaker', () => {
  const breakers: CircuitBreaker[] = [];
  const newBreaker = (observer?: CircuitBreakerObserver): CircuitBreaker => {
    const breaker = new CircuitBreaker('payment-provider', options, observer);
    breakers.push(breaker);
    return breaker;
  };
  afterEach(() => breakers.splice(0).forEach((breaker) => breaker.shutdown()));

  it('returns the result of a call while closed', async () => {
    const breaker = newBreaker();

    await expect(breaker.fire(async () => 'charged')).resolves.toBe('charged');
    expect(breaker.state).toBe('closed');
  });

  it('stays closed until the window holds volumeThreshold calls', async () => {
    const breaker = newBreaker();

    await failTimes(breaker, options.volumeThreshold - 1, new ProviderUnavailableError('503'));

    expect(breaker.state).toBe('closed');
  });

  it('opens once the failure rate passes the threshold, then fails fast without calling the function', async () => {
    const breaker = newBreaker();
    await failTimes(breaker, options.volumeThreshold, new ProviderUnavailableError('503'));
    const call = jest.fn(async () => 'charged');

    const error = await breaker.fire(call).catch((caught: unknown) => caught);

    expect(breaker.state).toBe('open');
    expect(call).not.toHaveBeenCalled();
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(error).toMatchObject({
      code: RESILIENCE_ERROR_CODES.CIRCUIT_OPEN,
      breaker: 'payment-provider',
      retryAfterMs: options.resetTimeoutMs,
    });
  });

  it('half-opens after resetTimeout and closes when the trial call succeeds', async () => {
    const breaker = newBreaker();
    await failTimes(breaker, options.volumeThreshold, new ProviderUnavailableError('503'));

    await waitUntil(() => breaker.state === 'half_open');
    await expect(breaker.fire(async () => 'charged')).resolves.toBe('charged');

    expect(breaker.state).toBe('closed');
  });

  it('opens again when the trial call in half-open fails', async () => {
    const breaker = newBreaker();
    await failTimes(breaker, options.volumeThreshold, new ProviderUnavailableError('503'));
    await waitUntil(() => breaker.state === 'half_open');

    await failTimes(breaker, 1, new ProviderUnavailableError('still 503'));

    expect(breaker.state).toBe('open');
  });

  it('lets permanent errors through untouched without counting them against the callee', async () => {
    const breaker = newBreaker();
    const decline = new CardDeclinedError('insufficient funds');

    for (let call = 0; call < options.volumeThreshold * 2; call += 1) {
      await expect(breaker.fire(failWith(decline))).rejects.toBe(decline);
    }

    expect(breaker.state).toBe('closed');
  });

  it('tells its observer every transition and the outcome of every call', async () => {
    const observer = recordingObserver();
    const breaker = newBreaker(observer);

    await breaker.fire(async () => 'charged');
    await failTimes(breaker, 1, new CardDeclinedError('declined'));
    await failTimes(breaker, 1, new RetriesExhaustedError(3, new TimeoutError(10)));
    await failTimes(breaker, 2, new ProviderUnavailableError('503'));
    await breaker.fire(async () => 'refused').catch(() => undefined);
    await waitUntil(() => breaker.state === 'half_open');
    await breaker.fire(async () => 'charged');

    expect(observer.outcomes).toEqual([
      'success',
      'permanent_error',
      'timeout',
      'failure',
      'failure',
      'short_circuited',
      'success',
    ]);
    expect(observer.transitions).toEqual(['closed->open', 'open->half_open', 'half_open->closed']);
  });

  it('refuses calls after shutdown', async () => {
    const breaker = newBreaker();
    breaker.shutdown();

    await expect(breaker.fire(async () => 'charged')).rejects.toBeInstanceOf(CircuitOpenError);
  });
});
