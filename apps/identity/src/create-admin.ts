import { configurationOrExit } from '#lib/config';
import { runCreateAdminCommand } from '#lib/identity';
import { IdentityAppModule } from './identity-app.module.js';

/** `npm run admin:create`: creates the administrator named by ADMIN_EMAIL / ADMIN_PASSWORD. */
await runCreateAdminCommand(configurationOrExit(), IdentityAppModule);
