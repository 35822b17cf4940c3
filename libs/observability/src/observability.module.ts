import { Global, Module } from '@nestjs/common';
import { LogConfig, ServiceConfig, TracingConfig } from '#lib/config';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import { LoggerModule } from 'nestjs-pino';
import { register } from 'prom-client';
import { HttpMetrics } from './http-metrics.js';
import { logDestination, loggerModuleParams } from './logger-options.js';
import { MetricsController } from './metrics.controller.js';

/**
 * Logs, metrics and the request context of every app (message spans: the messaging library). Import it once in the root
 * module; the bootstrap then calls `attachObservability(app)` to route Nest's logs through pino and
 * hook HTTP.
 */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ServiceConfig, LogConfig, TracingConfig],
      useFactory: (service: ServiceConfig, log: LogConfig, tracing: TracingConfig) =>
        loggerModuleParams({ service, log, tracing }, logDestination({ service, log, tracing })),
    }),
    PrometheusModule.register({
      path: '/metrics',
      controller: MetricsController,
      defaultMetrics: { enabled: true },
    }),
  ],
  // The global registry: the one the /metrics controller serves.
  providers: [{ provide: HttpMetrics, useFactory: () => new HttpMetrics(register) }],
  exports: [HttpMetrics],
})
export class ObservabilityModule {}
