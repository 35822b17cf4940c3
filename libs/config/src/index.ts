export {
  AppConfig,
  type JwksSettings,
  type JwtKeyPair,
  type JwtPublicKey,
  type NodeEnvironment,
  type PaymentsSettings,
} from './app-config.js';
export { ConfigModule, configurationOrExit, processConfiguration } from './config.module.js';
export { ConfigValidationError } from './config-validation.error.js';
export { loadConfig } from './load-config.js';
export { type TrustProxy } from './trust-proxy.js';
