import type { MigrationInterface, QueryRunner } from 'typeorm';
import { pascalCase } from './messaging-tables.migration.js';

type MigrationClass = new () => MigrationInterface;

/**
 * The migration that gives a context's outbox the index its relay claims through: unpublished rows
 * in insertion order (ADR 0060). The claim walks it in order and stops at its limit. A row
 * published since leaves a dead entry behind until the table is vacuumed, and a walk in index
 * order marks each such entry as it passes, so the next claim skips it cheaply. Through
 * `outbox_due_idx` the claim read every due row and sorted them, by a bitmap scan that marks
 * nothing, so between two vacuums every claim paid for every row published since the last (245 ms
 * a claim after 340k, bench/RESULTS.md 2026-12-07 19:05).
 */
export function outboxClaimIndexMigration(schema: string, timestamp: number): MigrationClass {
  const name = `AddOutboxClaimIndexTo${pascalCase(schema)}${timestamp}`;
  const migration = class implements MigrationInterface {
    name = name;

    async up(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`
        CREATE INDEX IF NOT EXISTS outbox_claim_idx ON "${schema}".outbox (position)
         WHERE published_at IS NULL`);
    }

    async down(queryRunner: QueryRunner): Promise<void> {
      await queryRunner.query(`DROP INDEX IF EXISTS "${schema}".outbox_claim_idx`);
    }
  };
  Object.defineProperty(migration, 'name', { value: name });
  return migration;
}
