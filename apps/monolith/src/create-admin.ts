import { NestFactory } from '@nestjs/core';
import { configurationOrExit } from '#lib/config';
import { ensureBootstrapAdmin } from '#lib/identity';
import { MonolithModule } from './monolith.module.js';

/** `npm run admin:create`: creates the administrator named by ADMIN_EMAIL / ADMIN_PASSWORD. */
const config = configurationOrExit();
if (!config.bootstrapAdmin) {
  process.stderr.write('Set ADMIN_EMAIL and ADMIN_PASSWORD to create the first administrator.\n');
  process.exit(1);
}
const app = await NestFactory.createApplicationContext(MonolithModule, {
  logger: ['error', 'warn'],
});
try {
  const outcome = await ensureBootstrapAdmin(app);
  process.stdout.write(`${config.bootstrapAdmin.email}: ${outcome.replace(/_/g, ' ')}\n`);
  process.exitCode = outcome === 'exists_without_admin_role' ? 1 : 0;
} catch (error) {
  process.stderr.write(`could not create the administrator: ${(error as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await app.close();
}
