import { configurationOrExit } from '#lib/config';
import { runMigrationsCommand } from '#lib/platform';
// Importing the app module declares its context's schema, entities and migrations.
import './catalog-app.module.js';

/** `npm run db:migrate:catalog`: applies the catalog context's pending migrations. */
await runMigrationsCommand(configurationOrExit());
