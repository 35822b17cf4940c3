import type { DynamicModule } from '@nestjs/common';
import { AppConfig } from '#lib/config';
import { PaymentsModule } from './payments.module.js';

/** The payments context configured from the validated environment: what every app that serves it imports. */
export const paymentsModuleFromConfig = (): DynamicModule =>
  PaymentsModule.forRootAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => config.payments,
  });
