import { Module } from '@nestjs/common';
import { CatalogModule } from '#lib/catalog';
import { PlatformModule } from '#lib/platform';

/** Split mode: the catalog context alone, talking to the other apps over the broker. */
@Module({ imports: [PlatformModule, CatalogModule.forRootFromEnv()] })
export class CatalogAppModule {}
