import type { Abstract } from '@nestjs/common';
import type { ConfigSection, Environment } from './config-section.js';
import { ConfigValidationError } from './config-validation.error.js';

/** The settings of several sections, validated together; for code outside Nest's injector. */
export class Configuration {
  constructor(private readonly settings: ReadonlyMap<Abstract<object>, object>) {}

  get<Settings extends object>(token: Abstract<Settings>): Settings {
    const settings = this.settings.get(token);
    if (settings === undefined) throw new Error(`configuration section ${token.name} not loaded`);
    return settings as Settings;
  }
}

/**
 * Validates every section against one environment and builds their settings. Throws one
 * ConfigValidationError naming every bad variable of every section (a variable two sections read,
 * such as NODE_ENV, is named once).
 */
export function readConfiguration(
  sections: Iterable<ConfigSection>,
  environment: Environment,
): Configuration {
  const settings = new Map<Abstract<object>, object>();
  const problems = new Set<string>();
  for (const section of sections) {
    try {
      settings.set(section.token, section.load(environment));
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      error.problems.forEach((problem) => problems.add(problem));
    }
  }
  if (problems.size > 0) throw new ConfigValidationError([...problems]);
  return new Configuration(settings);
}
