import type { DatabaseConfig, ServiceConfig } from '#lib/config';
import { DataSource } from 'typeorm';
import { databaseRegistry } from './database-registry.js';
import { SnakeCaseNamingStrategy } from './snake-case-naming.strategy.js';

/** The primary's data source, or with `url` a replica's (same entities, pool and timeouts). */
export function createDataSource(
  database: DatabaseConfig,
  service: ServiceConfig,
  url: string = database.url,
): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: databaseRegistry.entities,
    // No migrations here: runMigrations applies each context's own, in its own schema.
    synchronize: false,
    namingStrategy: new SnakeCaseNamingStrategy(),
    applicationName: service.name,
    connectTimeoutMS: database.connectTimeoutMs,
    // Passed to the pg Pool: bounded size, and no statement may hold a connection forever.
    extra: {
      max: database.poolMax,
      idleTimeoutMillis: 30_000,
      statement_timeout: database.statementTimeoutMs,
      // Set in the startup packet, so no round trip: the TransactionRunner relies on it to open
      // READ COMMITTED transactions without a SET TRANSACTION each, whatever the server's default.
      options: '-c default_transaction_isolation=read\\ committed',
    },
  });
}
