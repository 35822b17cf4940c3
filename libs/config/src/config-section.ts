import type { Abstract, Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { ConfigValidationError } from './config-validation.error.js';

/** Environment variables by name, as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

export interface ConfigSectionDefinition<Variables extends object, Settings extends object> {
  /** Names the section in messages, e.g. `catalog`. */
  readonly name: string;
  /**
   * The class-validator schema: its property names are the variables' names (so a failed rule
   * names the variable to fix) and its initialisers are the defaults.
   */
  readonly variables: Type<Variables>;
  /** The typed result's class; it is also the DI token modules inject the result by. */
  readonly settings: Abstract<Settings>;
  /** Variables whose values are never echoed in a refusal (credentials, URLs with passwords). */
  readonly secrets?: readonly string[];
  /** Rules across variables that decorators cannot state; each problem names its variables. */
  readonly check?: (variables: Variables) => readonly string[];
  /** Builds the result from valid variables; may throw ConfigValidationError (e.g. an unreadable key). */
  readonly build: (variables: Variables) => Settings;
}

function describe(errors: ValidationError[], secrets: ReadonlySet<string>): string[] {
  return errors.flatMap((error) => {
    const shown = secrets.has(error.property) ? '' : ` (got ${JSON.stringify(error.value)})`;
    return Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(error.property)
        ? `${message}${shown}`
        : `${error.property}: ${message}${shown}`,
    );
  });
}

/**
 * One part of the configuration: a name, the environment variables it reads with their rules, and
 * the typed settings built from them. A library that needs settings defines its section beside its
 * module (platform sections in libs/config, a context's in its own library) and declares it with
 * `ConfigModule.forFeature(section)`, so an app validates only the sections of the modules it runs.
 */
export class ConfigSection<Settings extends object = object> {
  readonly name: string;
  /** DI token of the settings: inject them as `settings: CatalogConfig`. */
  readonly token: Abstract<Settings>;
  private readonly read: (environment: Environment) => Settings;

  private constructor(
    name: string,
    token: Abstract<Settings>,
    read: ConfigSection<Settings>['read'],
  ) {
    this.name = name;
    this.token = token;
    this.read = read;
  }

  static define<Variables extends object, Settings extends object>(
    definition: ConfigSectionDefinition<Variables, Settings>,
  ): ConfigSection<Settings> {
    const secrets = new Set(definition.secrets ?? []);
    return new ConfigSection(definition.name, definition.settings, (environment) => {
      const defined = Object.fromEntries(
        Object.entries(environment).filter(([, value]) => value !== undefined),
      );
      const variables = plainToInstance(definition.variables, defined, {
        exposeDefaultValues: true,
      });
      const problems = [
        ...describe(validateSync(variables, { skipMissingProperties: false }), secrets),
        ...(definition.check?.(variables) ?? []),
      ];
      if (problems.length > 0) throw new ConfigValidationError(problems);
      return definition.build(variables);
    });
  }

  /** Validates this section's variables and builds its settings; throws ConfigValidationError naming every bad one. */
  load(environment: Environment): Settings {
    return this.read(environment);
  }
}

/** Shorthand for `ConfigSection.define`. */
export const defineConfigSection = <Variables extends object, Settings extends object>(
  definition: ConfigSectionDefinition<Variables, Settings>,
): ConfigSection<Settings> => ConfigSection.define(definition);
