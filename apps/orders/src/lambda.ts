import { configurationOrExit } from '#lib/config';
import { startTracingIfConfigured } from '#lib/observability';

// Tracing patches modules as they load, so it starts before the app and its drivers are imported.
await startTracingIfConfigured();
const { createLambdaHandler } = await import('#lib/platform');
const { OrdersAppModule } = await import('./orders-app.module.js');
// Built once per container during Lambda's init phase (top-level await), then reused by every warm
// invocation; the handler factory is the monolith's (docs/adr/0015, docs/adr/0030). The
// configuration is read once the app module has declared its sections, as in main.ts.
export const handler = await createLambdaHandler(configurationOrExit(), {
  title: 'Commerce Platform (orders)',
  module: OrdersAppModule,
});
