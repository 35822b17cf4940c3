import { Module } from '@nestjs/common';
import { ConfigModule, MessagingConfig, ServiceConfig } from '#lib/config';
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
      inject: [MessagingConfig, ServiceConfig],
      useFactory: (messaging: MessagingConfig, service: ServiceConfig) => ({
        transport: messaging.transport,
        owner: service.name,
        rmq: { ...messaging.rmq, serviceName: service.name },
        rpcTimeoutMs: messaging.rpcTimeoutMs,
        inlineRetryMaxMs: messaging.inlineRetryMaxMs,
        handlerConcurrency: messaging.handlerConcurrency,
        retryWorker: { pollIntervalMs: messaging.retryPollIntervalMs },
        relay: messaging.relay,
        retention: messaging.retention,
      }),
    }),
    GuardsModule.forRoot(),
    HealthModule.forRootAsync({
      inject: [MessagingConfig],
      useFactory: (messaging: MessagingConfig) => ({
        outboxMaxAgeSeconds: messaging.outboxMaxAgeSeconds,
      }),
    }),
  ],
})
export class PlatformModule {}
