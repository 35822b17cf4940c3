import { IsIn, IsString, Matches } from 'class-validator';
import { defineConfigSection } from '../config-section.js';

export type NodeEnvironment = 'development' | 'test' | 'production';

class ServiceVariables {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: NodeEnvironment = 'development';

  @IsString()
  @Matches(/^[a-z][a-z0-9-]*$/, {
    message: 'SERVICE_NAME must be lower-case letters, digits and dashes',
  })
  SERVICE_NAME = 'commerce-monolith';
}

/** Which process this is: its environment and the name it logs, traces and connects as. */
export abstract class ServiceConfig {
  abstract readonly env: NodeEnvironment;
  abstract readonly name: string;
}

export const serviceConfig = defineConfigSection({
  name: 'service',
  variables: ServiceVariables,
  settings: ServiceConfig,
  build: (variables): ServiceConfig => ({ env: variables.NODE_ENV, name: variables.SERVICE_NAME }),
});
