import type { DynamicModule } from '@nestjs/common';
import { AppConfig } from '#lib/config';
import { OrdersModule } from './orders.module.js';

/** The orders context configured from the validated environment: what every app that serves it imports. */
export const ordersModuleFromConfig = (): DynamicModule =>
  OrdersModule.forRootAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => config.orders,
  });
