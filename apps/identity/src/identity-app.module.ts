import { Module } from '@nestjs/common';
import { IdentityModule } from '#lib/identity';
import { PlatformModule } from '#lib/platform';

/** Split mode: the identity context alone, talking to the other apps over the broker. */
@Module({ imports: [PlatformModule, IdentityModule.forRootFromEnv()] })
export class IdentityAppModule {}
