import { IsIn } from 'class-validator';
import { defineConfigSection } from '../config-section.js';
import { BooleanVariable } from '../environment-variable.decorators.js';

class LogVariables {
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @BooleanVariable()
  LOG_PRETTY = false;
}

export abstract class LogConfig {
  abstract readonly level: string;
  abstract readonly pretty: boolean;
}

export const logConfig = defineConfigSection({
  name: 'log',
  variables: LogVariables,
  settings: LogConfig,
  build: (variables): LogConfig => ({ level: variables.LOG_LEVEL, pretty: variables.LOG_PRETTY }),
});
