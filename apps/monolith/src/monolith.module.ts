import { Module } from '@nestjs/common';
import { CatalogModule } from '#lib/catalog';
import { AppConfig } from '#lib/config';
import { IdentityModule } from '#lib/identity';
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
  ],
})
export class MonolithModule {}
