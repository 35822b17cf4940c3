import { configurationOrExit } from '#lib/config';
import { startTracingIfConfigured } from '#lib/observability';

// Tracing patches modules as they load, so it starts before the app and its drivers are imported.
await startTracingIfConfigured();
const { bootstrapHttpApp } = await import('#lib/platform');
const { CatalogAppModule } = await import('./catalog-app.module.js');
// Read once the app module has declared its contexts' sections: a refusal names every bad variable.
await bootstrapHttpApp(configurationOrExit(), {
  title: 'Commerce Platform (catalog)',
  module: CatalogAppModule,
});
