export {
  ensureBootstrapAdmin,
  runCreateAdminCommand,
} from './controllers/bootstrap-admin.command.js';
export { IDENTITY_PERSISTENCE } from './identity.persistence.js';
export { IdentityModule } from './identity.module.js';
export {
  type BootstrapAdminOutcome,
  EnsureBootstrapAdminService,
} from './services/ensure-bootstrap-admin.service.js';
