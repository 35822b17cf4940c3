import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DatabaseConfig } from '#lib/config';
import { DataSource } from 'typeorm';
import { runMigrations } from './run-migrations.js';

const MAX_BACKOFF_MS = 5_000;

/**
 * Owns the lifecycle of the data source. The app starts even when Postgres is unreachable:
 * it keeps retrying in the background while /health/ready reports the database down, which is
 * what an orchestrator needs (not ready, but not crash-looping either).
 */
@Injectable()
export class DatabaseConnection implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DatabaseConnection.name);
  private stopped = false;
  private migrated = false;
  private readyPromise?: Promise<void>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: DatabaseConfig,
  ) {}

  get isConnected(): boolean {
    return this.dataSource.isInitialized;
  }

  /** Connected and, when this process migrates, migrated: only then may it take traffic. */
  get isReady(): boolean {
    return this.isConnected && this.migrated;
  }

  onModuleInit(): void {
    this.readyPromise = this.connectWithRetry();
    // Failures are logged inside the loop; the promise only settles on success or shutdown.
    this.readyPromise.catch(() => undefined);
  }

  /** Resolves once connected (and migrated when configured). */
  whenReady(): Promise<void> {
    return this.readyPromise ?? Promise.reject(new Error('DatabaseConnection not started'));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (!this.dataSource.isInitialized) return;
    await this.dataSource.destroy();
    this.logger.log('database pool closed');
  }

  private async connectWithRetry(): Promise<void> {
    for (let attempt = 1; !this.stopped; attempt += 1) {
      try {
        if (!this.dataSource.isInitialized) await this.dataSource.initialize();
        if (this.config.runMigrations) {
          const applied = await runMigrations(this.dataSource);
          if (applied.length > 0) {
            this.logger.log(`applied migrations: ${applied.map((m) => m.name).join(', ')}`);
          }
        }
        this.migrated = true;
        return;
      } catch (error) {
        const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(attempt, 5));
        this.logger.warn(
          `database not available (attempt ${attempt}, retry in ${delay} ms): ${(error as Error).message}`,
        );
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
    throw new Error('shut down before the database was reachable');
  }
}
