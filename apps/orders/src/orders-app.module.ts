import { Module } from '@nestjs/common';
import { OrdersModule } from '#lib/orders';
import { PlatformModule } from '#lib/platform';

/** Split mode: the orders context alone, talking to the other apps over the broker. */
@Module({ imports: [PlatformModule, OrdersModule.forRootFromEnv()] })
export class OrdersAppModule {}
