import { Test } from '@nestjs/testing';
import { register } from 'prom-client';
import { CircuitBreakerRegistry } from './circuit-breaker.registry.js';
import { CircuitOpenError } from './resilience.errors.js';
import { ResilienceModule } from './resilience.module.js';

describe('ResilienceModule', () => {
  it('provides a registry that exports to the default prom-client register and shuts breakers down with the app', async () => {
    const app = await Test.createTestingModule({ imports: [ResilienceModule] }).compile();
    await app.init();
    const breaker = app.get(CircuitBreakerRegistry).create('module-spec-provider', {
      errorThresholdPercentage: 50,
      volumeThreshold: 5,
      resetTimeoutMs: 1_000,
    });

    expect(await register.getSingleMetricAsString('circuit_breaker_state')).toContain(
      'circuit_breaker_state{breaker="module-spec-provider"} 0',
    );

    await app.close();
    await expect(breaker.fire(async () => 'charged')).rejects.toBeInstanceOf(CircuitOpenError);
  });
});
