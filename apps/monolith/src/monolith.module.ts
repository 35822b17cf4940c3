import { Module } from '@nestjs/common';
import { CatalogModule } from '#lib/catalog';
import { IdentityModule } from '#lib/identity';
import { NotificationsModule } from '#lib/notifications';
import { OrdersModule } from '#lib/orders';
import { PaymentsModule } from '#lib/payments';
import { PlatformModule } from '#lib/platform';

/** Development/all-in-one mode: every context in one process. */
@Module({
  imports: [
    PlatformModule,
    IdentityModule.forRootFromEnv(),
    CatalogModule.forRootFromEnv(),
    PaymentsModule.forRootFromEnv(),
    OrdersModule.forRootFromEnv(),
    NotificationsModule.forRootFromEnv(),
  ],
})
export class MonolithModule {}
