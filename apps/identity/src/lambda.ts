import { configurationOrExit } from '#lib/config';
import { startTracing } from '#lib/observability';

const config = configurationOrExit();
// Tracing patches modules as they load, so it starts before the app and its drivers are imported.
await startTracing(config);
const { createLambdaHandler } = await import('#lib/platform');
const { IdentityAppModule } = await import('./identity-app.module.js');
// Built once per container during Lambda's init phase (top-level await), then reused by every warm
// invocation; the handler factory is the monolith's (docs/adr/0015, docs/adr/0030).
export const handler = await createLambdaHandler(config, {
  title: 'Commerce Platform (identity)',
  module: IdentityAppModule,
});
