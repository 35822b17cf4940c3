import { Module } from '@nestjs/common';
import { IdentityModule } from '#lib/identity';
import { PlatformModule } from '#lib/platform';

/** Development/all-in-one mode: every context in one process. */
@Module({ imports: [PlatformModule, IdentityModule] })
export class MonolithModule {}
