import { Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config.js';
import { loadConfig } from './load-config.js';

let processConfig: AppConfig | undefined;

/** The process's configuration, validated once; the bootstrap calls it first so a bad value stops start-up. */
export function processConfiguration(): AppConfig {
  processConfig ??= loadConfig(process.env);
  return processConfig;
}

@Global()
@Module({
  providers: [{ provide: AppConfig, useFactory: processConfiguration }],
  exports: [AppConfig],
})
export class ConfigModule {}

/**
 * For entry points: the configuration, or a refusal to start that names every bad variable.
 * Nothing else has started yet, so a plain message on stderr is the clearest output.
 */
export function configurationOrExit(): AppConfig {
  try {
    return processConfiguration();
  } catch (error) {
    process.stderr.write(`Refusing to start. ${(error as Error).message}\n`);
    process.exit(1);
  }
}
