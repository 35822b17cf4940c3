import { Module } from '@nestjs/common';
import { CatalogModule } from '#lib/catalog';
import { AppConfig } from '#lib/config';
import { IdentityModule } from '#lib/identity';
import { NotificationsModule } from '#lib/notifications';
import { OrdersModule } from '#lib/orders';
import { PaymentsModule } from '#lib/payments';
import { PlatformModule } from '#lib/platform';

/** Development/all-in-one mode: every context in one process. */
@Module({
  imports: [
    PlatformModule,
    IdentityModule,
    CatalogModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        cacheTtlSeconds: config.catalog.cacheTtlSeconds,
        httpMaxAgeSeconds: config.catalog.httpMaxAgeSeconds,
      }),
    }),
    PaymentsModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => config.payments,
    }),
    OrdersModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => config.orders,
    }),
    NotificationsModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        redisUrl: config.redis.url,
        serviceName: config.serviceName,
        ...config.notifications,
      }),
    }),
  ],
})
export class MonolithModule {}
