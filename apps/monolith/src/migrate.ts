import { configurationOrExit } from '#lib/config';
import { runMigrationsCommand } from '#lib/platform';
// Importing the app module declares every context's schema, entities and migrations.
import './monolith.module.js';

/** `npm run db:migrate`: applies pending migrations (production runs this before rolling out). */
await runMigrationsCommand(configurationOrExit());
