export {
  ensureBootstrapAdmin,
  runCreateAdminCommand,
} from './controllers/bootstrap-admin.command.js';
export { IDENTITY_PERSISTENCE } from './identity.persistence.js';
export { IdentityConfig, identityConfig } from './identity.config.js';
export {
  IdentityModule,
  type IdentityModuleAsyncOptions,
  type IdentityModuleOptions,
} from './identity.module.js';
export {
  type BootstrapAdminOutcome,
  EnsureBootstrapAdminService,
} from './services/ensure-bootstrap-admin.service.js';
