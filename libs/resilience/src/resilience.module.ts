import { Module } from '@nestjs/common';
import { register } from 'prom-client';
import { CircuitBreakerRegistry } from './circuit-breaker.registry.js';

/**
 * Provides the process's CircuitBreakerRegistry. Contexts import it and build a ResiliencePolicy per
 * outbound dependency; Nest shares one module instance, so every context sees the same registry.
 */
@Module({
  // The default prom-client registry: the one the /metrics endpoint serves.
  providers: [
    { provide: CircuitBreakerRegistry, useFactory: () => new CircuitBreakerRegistry(register) },
  ],
  exports: [CircuitBreakerRegistry],
})
export class ResilienceModule {}
