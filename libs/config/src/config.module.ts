import { type DynamicModule, Global, Module, type Provider } from '@nestjs/common';
import type { ConfigSection } from './config-section.js';
import { ConfigEnvironment } from './config-environment.js';
import { declareConfigSections } from './process-configuration.js';
import { PLATFORM_CONFIG_SECTIONS } from './sections/platform-config-sections.js';

const providerOf = (section: ConfigSection): Provider => ({
  provide: section.token,
  inject: [ConfigEnvironment],
  useFactory: (environment: ConfigEnvironment) => section.load(environment.variables),
});

@Module({})
class ConfigFeatureModule {}

/**
 * The platform sections (HTTP, database, Redis, messaging, log, tracing, auth, throttle,
 * shutdown, service), global; PlatformModule imports it. A module that needs a section of its own
 * imports `ConfigModule.forFeature(section)` and injects the section's settings class: the app
 * then validates that section only because it runs that module.
 */
@Global()
@Module({
  providers: [
    { provide: ConfigEnvironment, useValue: new ConfigEnvironment(process.env) },
    ...PLATFORM_CONFIG_SECTIONS.map(providerOf),
  ],
  exports: [ConfigEnvironment, ...PLATFORM_CONFIG_SECTIONS.map((section) => section.token)],
})
export class ConfigModule {
  static forFeature(...sections: ConfigSection[]): DynamicModule {
    declareConfigSections(sections);
    return {
      module: ConfigFeatureModule,
      providers: sections.map(providerOf),
      exports: sections.map((section) => section.token),
    };
  }
}
