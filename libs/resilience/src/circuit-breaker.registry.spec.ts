import { Registry } from 'prom-client';
import { CircuitBreakerRegistry } from './circuit-breaker.registry.js';

class ProviderUnavailableError extends Error {
  readonly transient = true;
}

interface LogLine {
  level: 'log' | 'warn';
  fields: unknown;
  message: unknown;
}

function recordingLogger(): {
  lines: LogLine[];
  log: (...args: unknown[]) => void;
  warn: (...args: unknown[]) => void;
} {
  const lines: LogLine[] = [];
  return {
    lines,
    log: (fields, message) => lines.push({ level: 'log', fields, message }),
    warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
  };
}

async function waitUntil(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const options = { errorThresholdPercentage: 50, volumeThreshold: 2, resetTimeoutMs: 30 };

describe('CircuitBreakerRegistry', () => {
  let metrics: Registry;
  let logger: ReturnType<typeof recordingLogger>;
  let registry: CircuitBreakerRegistry;

  beforeEach(() => {
    metrics = new Registry();
    logger = recordingLogger();
    registry = new CircuitBreakerRegistry(metrics, logger);
  });
  afterEach(() => registry.onModuleDestroy());

  const stateOf = async (breaker: string): Promise<number | undefined> => {
    const gauge = (await metrics.getSingleMetric('circuit_breaker_state')?.get())?.values ?? [];
    return gauge.find((sample) => sample.labels.breaker === breaker)?.value;
  };

  it('exports a new breaker as closed, with every outcome counter at zero', async () => {
    registry.create('payment-provider', options);

    expect(await metrics.getSingleMetricAsString('circuit_breaker_state')).toContain(
      'circuit_breaker_state{breaker="payment-provider"} 0',
    );
    const calls = await metrics.getSingleMetricAsString('circuit_breaker_calls_total');
    for (const outcome of ['success', 'failure', 'timeout', 'permanent_error', 'short_circuited']) {
      expect(calls).toContain(
        `circuit_breaker_calls_total{breaker="payment-provider",outcome="${outcome}"} 0`,
      );
    }
  });

  it('moves the state gauge and logs a line with the breaker and its new state on every transition', async () => {
    const breaker = registry.create('payment-provider', options);

    for (let call = 0; call < options.volumeThreshold; call += 1) {
      await breaker
        .fire(async () => Promise.reject(new ProviderUnavailableError('503')))
        .catch(() => undefined);
    }
    expect(await stateOf('payment-provider')).toBe(2);
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        fields: { breaker: 'payment-provider', from: 'closed', to: 'open' },
        message: expect.stringContaining('"payment-provider" opened'),
      },
    ]);

    await waitUntil(() => breaker.state === 'half_open');
    expect(await stateOf('payment-provider')).toBe(1);
    expect(logger.lines[1]).toEqual({
      level: 'log',
      fields: { breaker: 'payment-provider', from: 'open', to: 'half_open' },
      message: expect.stringContaining('"payment-provider" half-open'),
    });

    await breaker.fire(async () => 'charged');
    expect(await stateOf('payment-provider')).toBe(0);
    expect(logger.lines[2]).toEqual({
      level: 'log',
      fields: { breaker: 'payment-provider', from: 'half_open', to: 'closed' },
      message: expect.stringContaining('"payment-provider" closed'),
    });
    expect(logger.lines).toHaveLength(3);
  });

  it('counts calls by outcome per breaker', async () => {
    const breaker = registry.create('payment-provider', options);
    registry.create('catalog-rpc', options);

    await breaker.fire(async () => 'charged');
    for (let call = 0; call < options.volumeThreshold; call += 1) {
      await breaker
        .fire(async () => Promise.reject(new ProviderUnavailableError('503')))
        .catch(() => undefined);
    }
    await breaker.fire(async () => 'refused').catch(() => undefined);

    const calls = await metrics.getSingleMetricAsString('circuit_breaker_calls_total');
    expect(calls).toContain(
      'circuit_breaker_calls_total{breaker="payment-provider",outcome="success"} 1',
    );
    expect(calls).toContain(
      'circuit_breaker_calls_total{breaker="payment-provider",outcome="failure"} 2',
    );
    expect(calls).toContain(
      'circuit_breaker_calls_total{breaker="payment-provider",outcome="short_circuited"} 1',
    );
    expect(calls).toContain(
      'circuit_breaker_calls_total{breaker="catalog-rpc",outcome="success"} 0',
    );
  });

  it('hands out the breaker it created under a name and refuses a second one with that name', () => {
    const breaker = registry.create('payment-provider', options);

    expect(registry.get('payment-provider')).toBe(breaker);
    expect(registry.get('unknown')).toBeUndefined();
    expect(() => registry.create('payment-provider', options)).toThrow(/already exists/);
  });

  it('shares the metric series when a second registry registers in the same process', async () => {
    const second = new CircuitBreakerRegistry(metrics, logger);

    second.create('payment-provider', options);

    expect(await stateOf('payment-provider')).toBe(0);
    second.onModuleDestroy();
  });
});
