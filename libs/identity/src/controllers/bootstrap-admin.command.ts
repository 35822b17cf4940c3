import { type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Configuration } from '#lib/config';
import { IdentityConfig } from '../identity.config.js';
import { DatabaseConnection } from '#lib/database';
import {
  type BootstrapAdminOutcome,
  EnsureBootstrapAdminService,
} from '../services/ensure-bootstrap-admin.service.js';

/**
 * For a command-line script (`create-admin`): waits for the database, then ensures the admin from
 * ADMIN_EMAIL / ADMIN_PASSWORD exists. Rejects when the database is unreachable or the password
 * breaks the policy, so the script can exit non-zero.
 */
export async function ensureBootstrapAdmin(
  app: INestApplicationContext,
): Promise<BootstrapAdminOutcome> {
  await app.get(DatabaseConnection).whenReady();
  return app.get(EnsureBootstrapAdminService).ensure();
}

/**
 * The body of every app's `create-admin.ts` (`npm run admin:create`): boots `rootModule` (any app
 * module that includes the identity context) without HTTP, ensures the administrator and sets the
 * process exit code.
 */
export async function runCreateAdminCommand(
  config: Configuration,
  rootModule: Type<unknown>,
): Promise<void> {
  const { bootstrapAdmin } = config.get(IdentityConfig);
  if (!bootstrapAdmin) {
    process.stderr.write('Set ADMIN_EMAIL and ADMIN_PASSWORD to create the first administrator.\n');
    process.exitCode = 1;
    return;
  }
  const app = await NestFactory.createApplicationContext(rootModule, {
    logger: ['error', 'warn'],
  });
  try {
    const outcome = await ensureBootstrapAdmin(app);
    process.stdout.write(`${bootstrapAdmin.email}: ${outcome.replace(/_/g, ' ')}\n`);
    process.exitCode = outcome === 'exists_without_admin_role' ? 1 : 0;
  } catch (error) {
    process.stderr.write(`could not create the administrator: ${(error as Error).message}\n`);
    process.exitCode = 1;
  } finally {
    await app.close();
  }
}
