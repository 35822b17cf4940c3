import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The app (`SERVICE_NAME`) that placed an order: its stock confirmer is the one that brings an
 * order accepted `awaiting_stock` to an end (docs/adr/0054). Null for orders placed before this
 * column; any confirmer of the database takes those, as before.
 */
export class OwnOrdersPerApp1768784400000 implements MigrationInterface {
  name = 'OwnOrdersPerApp1768784400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE orders.orders ADD COLUMN owner text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE orders.orders DROP COLUMN owner`);
  }
}
