import { Module } from '@nestjs/common';
import { ordersModuleFromConfig } from '#lib/orders';
import { PlatformModule } from '#lib/platform';

/** Split mode: the orders context alone, talking to the other apps over the broker. */
@Module({ imports: [PlatformModule, ordersModuleFromConfig()] })
export class OrdersAppModule {}
