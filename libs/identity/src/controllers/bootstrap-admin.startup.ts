import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DatabaseConnection } from '#lib/database';
import { EnsureBootstrapAdminService } from '../services/ensure-bootstrap-admin.service.js';

/**
 * Creates the configured first admin once the database is reachable, in the background: start-up
 * never waits for the database (readiness reports it), and a failure here is logged, not fatal.
 */
@Injectable()
export class BootstrapAdminOnStartup implements OnApplicationBootstrap {
  private readonly logger = new Logger('BootstrapAdmin');

  constructor(
    private readonly database: DatabaseConnection,
    private readonly ensureBootstrapAdmin: EnsureBootstrapAdminService,
  ) {}

  onApplicationBootstrap(): void {
    void this.run();
  }

  private async run(): Promise<void> {
    try {
      await this.database.whenReady();
      const outcome = await this.ensureBootstrapAdmin.ensure();
      if (outcome === 'exists_without_admin_role') {
        this.logger.warn(
          'ADMIN_EMAIL belongs to an account without the admin role; it was NOT promoted',
        );
      } else if (outcome !== 'not_configured') {
        this.logger.log(`bootstrap admin: ${outcome}`);
      }
    } catch (error) {
      // The message names the rule a bad ADMIN_PASSWORD broke, never the password itself.
      this.logger.error(
        `bootstrap admin not created: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
