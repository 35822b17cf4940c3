import { Module } from '@nestjs/common';
import { catalogModuleFromConfig } from '#lib/catalog';
import { IdentityModule } from '#lib/identity';
import { notificationsModuleFromConfig } from '#lib/notifications';
import { ordersModuleFromConfig } from '#lib/orders';
import { paymentsModuleFromConfig } from '#lib/payments';
import { PlatformModule } from '#lib/platform';

/** Development/all-in-one mode: every context in one process. */
@Module({
  imports: [
    PlatformModule,
    IdentityModule,
    catalogModuleFromConfig(),
    paymentsModuleFromConfig(),
    ordersModuleFromConfig(),
    notificationsModuleFromConfig(),
  ],
})
export class MonolithModule {}
