import { jest } from '@jest/globals';
import { type CallOutcome, CircuitBreaker } from './circuit-breaker.js';
import {
  CircuitOpenError,
  RESILIENCE_ERROR_CODES,
  RetriesExhaustedError,
  TimeoutError,
} from './resilience.errors.js';
import { ResiliencePolicy } from './resilience-policy.js';
import type { Sleep } from './sleep.js';

class ProviderUnavailableError extends Error {
  readonly transient = true;
}

class CardDeclinedError extends Error {
  readonly code = 'PAYMENTS.CARD_DECLINED';
}

const instantSleep: Sleep = async () => {};
const never = (): Promise<never> => new Promise<never>(() => {});

async function waitUntil(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('ResiliencePolicy', () => {
  let outcomes: CallOutcome[];
  let breaker: CircuitBreaker;
  let policy: ResiliencePolicy;

  beforeEach(() => {
    outcomes = [];
    breaker = new CircuitBreaker(
      'payment-provider',
      { errorThresholdPercentage: 50, volumeThreshold: 2, resetTimeoutMs: 30 },
      { stateChanged: () => {}, callCompleted: (_name, outcome) => outcomes.push(outcome) },
    );
    policy = new ResiliencePolicy(breaker, {
      timeoutMs: 20,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 40 },
      sleep: instantSleep,
    });
  });
  afterEach(() => breaker.shutdown());

  it('returns the result and hands each attempt a live signal', async () => {
    const signals: AbortSignal[] = [];

    const result = await policy.execute(async (signal) => {
      signals.push(signal);
      return 'charged';
    });

    expect(result).toBe('charged');
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(false);
  });

  it('passes a permanent error through untouched after a single attempt', async () => {
    const decline = new CardDeclinedError('insufficient funds');
    const charge = jest.fn(async () => Promise.reject(decline));

    await expect(policy.execute(charge)).rejects.toBe(decline);
    expect(charge).toHaveBeenCalledTimes(1);
    expect(outcomes).toEqual(['permanent_error']);
    expect(breaker.state).toBe('closed');
  });

  it('aborts an attempt that overruns its timeout and retries it as transient', async () => {
    const signals: AbortSignal[] = [];

    const result = await policy.execute(async (signal) => {
      signals.push(signal);
      return signals.length === 1 ? never() : 'charged on the second attempt';
    });

    expect(result).toBe('charged on the second attempt');
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[0]?.reason).toBeInstanceOf(TimeoutError);
    expect(signals[1]?.aborted).toBe(false);
  });

  it('gives up after the retry budget and counts one breaker failure per call, not per attempt', async () => {
    const charge = jest.fn(() => never());

    const error = await policy.execute(charge).catch((caught: unknown) => caught);

    expect(charge).toHaveBeenCalledTimes(3);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error).toMatchObject({ code: RESILIENCE_ERROR_CODES.RETRIES_EXHAUSTED, attempts: 3 });
    expect((error as RetriesExhaustedError).cause).toBeInstanceOf(TimeoutError);
    expect(outcomes).toEqual(['timeout']);
  });

  it('opens after repeated exhausted calls and then fails fast without calling the function', async () => {
    const outage = jest.fn(async () => Promise.reject(new ProviderUnavailableError('503')));
    await policy.execute(outage).catch(() => undefined);
    await policy.execute(outage).catch(() => undefined);
    expect(breaker.state).toBe('open');
    const charge = jest.fn(async () => 'charged');

    await expect(policy.execute(charge)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(charge).not.toHaveBeenCalled();
  });

  it('closes again when the first call after resetTimeout succeeds', async () => {
    const outage = async (): Promise<never> => Promise.reject(new ProviderUnavailableError('503'));
    await policy.execute(outage).catch(() => undefined);
    await policy.execute(outage).catch(() => undefined);

    await waitUntil(() => breaker.state === 'half_open');
    await expect(policy.execute(async () => 'charged')).resolves.toBe('charged');

    expect(breaker.state).toBe('closed');
  });

  it('stops retrying once the caller aborts', async () => {
    const caller = new AbortController();
    const shutdown = new Error('shutting down');
    const charge = jest.fn(async () => {
      caller.abort(shutdown);
      throw new ProviderUnavailableError('503');
    });

    await expect(policy.execute(charge, { signal: caller.signal })).rejects.toBe(shutdown);
    expect(charge).toHaveBeenCalledTimes(1);
  });
});
