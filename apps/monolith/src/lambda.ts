import { configurationOrExit } from '#lib/config';
import { startTracing } from '#lib/observability';

const config = configurationOrExit();
// Tracing patches modules as they load, so it starts before the app and its drivers are imported.
await startTracing(config);
const { createLambdaHandler } = await import('#lib/platform');
const { MonolithModule } = await import('./monolith.module.js');
// Top-level await: the app is built once per container, during Lambda's init phase, and the module
// cache hands the same handler to every warm invocation. A failed start fails the import, so Lambda
// discards the environment instead of reusing a half-built app.
export const handler = await createLambdaHandler(config, {
  title: 'Commerce Platform (monolith)',
  module: MonolithModule,
});
