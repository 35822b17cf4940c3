import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The app (`SERVICE_NAME`) whose workers charge, refund and reconcile a payment: the one that
 * opened it, replicas included (docs/adr/0054). Null for payments opened before this column; any
 * payments worker of the database takes those, as before.
 */
export class OwnPaymentsPerApp1768780800000 implements MigrationInterface {
  name = 'OwnPaymentsPerApp1768780800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE payments.payments ADD COLUMN owner text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE payments.payments DROP COLUMN owner`);
  }
}
