import { configurationOrExit } from '#lib/config';
import { runMigrationsCommand } from '#lib/platform';
// Importing the app module declares its context's schema, entities and migrations.
import './identity-app.module.js';

/** `npm run db:migrate:identity`: applies the identity context's pending migrations. */
await runMigrationsCommand(configurationOrExit());
