import type { InjectionToken, ModuleMetadata } from '@nestjs/common';

/**
 * How every configurable module takes its options from other providers (Nest's async-options
 * shape): `forRootFromEnv()` passes its config section here as
 * `{ imports: [ConfigModule.forFeature(section)], inject: [SectionSettings], useFactory }`.
 */
export interface ModuleOptionsFactory<Options> {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: InjectionToken[];
  readonly useFactory: (...dependencies: never[]) => Options | Promise<Options>;
}
