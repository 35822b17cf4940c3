import type { INestApplicationContext } from '@nestjs/common';
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
