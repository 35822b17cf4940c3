import { configurationOrExit } from '#lib/config';
import { runMigrationsCommand } from '#lib/platform';
// Importing the app module declares its context's schema, entities and migrations.
import './payments-app.module.js';

/** `npm run db:migrate:payments`: applies the payments context's pending migrations. */
await runMigrationsCommand(configurationOrExit());
