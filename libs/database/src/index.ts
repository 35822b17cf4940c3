export { createDataSource } from './create-data-source.js';
export { DatabaseConnection } from './database-connection.js';
export { databaseRegistry, type DatabaseFeature } from './database-registry.js';
export { ensureDatabaseExists } from './ensure-database-exists.js';
export { DatabaseModule } from './database.module.js';
export { runMigrations } from './run-migrations.js';
export { SnakeCaseNamingStrategy } from './snake-case-naming.strategy.js';
export { TransactionRunner } from './transaction-runner.js';
export { isUniqueViolation } from './unique-violation.js';
