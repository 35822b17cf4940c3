import { configurationOrExit } from '#lib/config';
import { startTracing } from '#lib/observability';

const config = configurationOrExit();
// Tracing patches modules as they load, so it starts before the app and its drivers are imported.
await startTracing(config);
const { bootstrapHttpApp } = await import('#lib/platform');
const { OrdersAppModule } = await import('./orders-app.module.js');
await bootstrapHttpApp(config, { title: 'Commerce Platform (orders)', module: OrdersAppModule });
