import type { ConfigSection, Environment } from './config-section.js';
import { type Configuration, readConfiguration } from './configuration.js';
import { PLATFORM_CONFIG_SECTIONS } from './sections/platform-config-sections.js';

/** Every section the modules loaded into this process declared, plus the platform's. */
const declaredSections = new Set<ConfigSection>(PLATFORM_CONFIG_SECTIONS);

/** Called by `ConfigModule.forFeature`, i.e. when the app's module composition is built. */
export function declareConfigSections(sections: Iterable<ConfigSection>): void {
  for (const section of sections) declaredSections.add(section);
}

/**
 * The configuration of every section declared so far: the platform's and those of the modules
 * imported by now. Throws ConfigValidationError naming every bad variable of those sections;
 * variables of modules this process does not run are not read at all.
 */
export function declaredConfiguration(environment: Environment = process.env): Configuration {
  return readConfiguration(declaredSections, environment);
}

/**
 * For entry points: `declaredConfiguration()`, or a refusal to start that names every bad
 * variable. Entry points call it before importing the app module (tracing must start first) and
 * the bootstrap calls it again after, when the contexts' sections are declared. Nothing else has
 * started yet, so a plain message on stderr is the clearest output.
 */
export function configurationOrExit(): Configuration {
  try {
    return declaredConfiguration();
  } catch (error) {
    process.stderr.write(`Refusing to start. ${(error as Error).message}\n`);
    process.exit(1);
  }
}
