import { configurationOrExit } from '#lib/config';
import { runMigrationsCommand } from '#lib/platform';
// Importing the app module declares its context's schema, entities and migrations.
import './orders-app.module.js';

/** `npm run db:migrate:orders`: applies the orders context's pending migrations. */
await runMigrationsCommand(configurationOrExit());
