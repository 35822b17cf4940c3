import type { MigrationInterface, QueryRunner } from 'typeorm';
import { pascalCase } from './messaging-tables.migration.js';

type MigrationClass = new () => MigrationInterface;

/**
 * The migration that drops a context's `outbox_due_idx`, which no statement has used since the
 * relay claims through `outbox_claim_idx` (ADR 0060): every outbox insert and every mark still
 * paid to keep it. The backlog reader's count of unpublished rows has the same predicate as the
 * claim index, which serves it. `down` builds it again.
 */
export function dropOutboxDueIndexMigration(schema: string, timestamp: number): MigrationClass {
  const name = `DropOutboxDueIndexOf${pascalCase(schema)}${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP INDEX IF EXISTS "${schema}".outbox_due_idx`);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        CREATE INDEX IF NOT EXISTS outbox_due_idx ON "${schema}".outbox (next_attempt_at, position)
         WHERE published_at IS NULL`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}
