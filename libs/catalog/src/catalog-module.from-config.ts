import type { DynamicModule } from '@nestjs/common';
import { AppConfig } from '#lib/config';
import { CatalogModule } from './catalog.module.js';

/** The catalog context configured from the validated environment: what every app that serves it imports. */
export const catalogModuleFromConfig = (): DynamicModule =>
  CatalogModule.forRootAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => ({
      cacheTtlSeconds: config.catalog.cacheTtlSeconds,
      httpMaxAgeSeconds: config.catalog.httpMaxAgeSeconds,
    }),
  });
