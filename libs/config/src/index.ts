export { ConfigEnvironment } from './config-environment.js';
export {
  ConfigSection,
  type ConfigSectionDefinition,
  defineConfigSection,
  type Environment,
} from './config-section.js';
export { ConfigModule } from './config.module.js';
export { ConfigValidationError } from './config-validation.error.js';
export { Configuration, readConfiguration } from './configuration.js';
export {
  emptyToUndefined,
  toBoolean,
  toInteger,
  toList,
  toNumber,
} from './environment-transforms.js';
export { configurationOrExit, declaredConfiguration } from './process-configuration.js';
export { type JwtKeyPair, type JwtPublicKey } from './jwt-keys.js';
export { AuthConfig, authConfig, type JwksSettings } from './sections/auth.config.js';
export { DatabaseConfig, databaseConfig } from './sections/database.config.js';
export { HttpConfig, httpConfig } from './sections/http.config.js';
export { LogConfig, logConfig } from './sections/log.config.js';
export { MessagingConfig, messagingConfig } from './sections/messaging.config.js';
export { PLATFORM_CONFIG_SECTIONS } from './sections/platform-config-sections.js';
export { RedisConfig, redisConfig } from './sections/redis.config.js';
export { type NodeEnvironment, ServiceConfig, serviceConfig } from './sections/service.config.js';
export { ShutdownConfig, shutdownConfig } from './sections/shutdown.config.js';
export { ThrottleConfig, throttleConfig } from './sections/throttle.config.js';
export { TracingConfig, tracingConfig } from './sections/tracing.config.js';
export { type TrustProxy } from './trust-proxy.js';
export { BooleanVariable, IntegerVariable } from './environment-variable.decorators.js';
export { type ModuleOptionsFactory } from './module-options-factory.js';
