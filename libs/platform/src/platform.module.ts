import { Module } from '@nestjs/common';
import { AppConfig, ConfigModule } from '#lib/config';
import { DatabaseModule } from '#lib/database';
import { GuardsModule } from '#lib/guards';
import { HealthModule } from '#lib/health';
import { MessagingModule } from '#lib/messaging';
import { ObservabilityModule } from '#lib/observability';
import { RedisModule } from '#lib/redis';

/** Everything an app needs besides its contexts; every app module imports it first. */
@Module({
  imports: [
    ConfigModule,
    ObservabilityModule,
    RedisModule,
    DatabaseModule.forRoot(),
    MessagingModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        transport: config.messaging.transport,
        owner: config.serviceName,
        rmq: { ...config.messaging.rmq, serviceName: config.serviceName },
        rpcTimeoutMs: config.messaging.rpcTimeoutMs,
        inlineRetryMaxMs: config.messaging.inlineRetryMaxMs,
        handlerConcurrency: config.messaging.handlerConcurrency,
        retryWorker: { pollIntervalMs: config.messaging.retryPollIntervalMs },
        relay: config.messaging.relay,
        retention: config.messaging.retention,
      }),
    }),
    GuardsModule.forRoot(),
    HealthModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        outboxMaxAgeSeconds: config.messaging.outboxMaxAgeSeconds,
      }),
    }),
  ],
})
export class PlatformModule {}
