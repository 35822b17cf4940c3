import type { Environment } from './config-section.js';

/**
 * The variables every section provider reads: `process.env` in an app. A test app overrides this
 * one provider (`overrideProvider(ConfigEnvironment)`) to run on an environment of its own.
 */
export class ConfigEnvironment {
  constructor(readonly variables: Environment) {}
}
