import { configurationOrExit } from '#lib/config';
import { runMigrationsCommand } from '#lib/platform';
// Importing the app module declares its context's schema, entities and migrations.
import './notifications-app.module.js';

/** `npm run db:migrate:notifications`: applies the notifications context's pending migrations. */
await runMigrationsCommand(configurationOrExit());
