import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The app (SERVICE_NAME) that wrote an outbox row or a stored retry: only that app's replicas relay
 * or deliver it. Rows from before this column (NULL) are taken by any app.
 */
export class AddMessageOwners1768089600000 implements MigrationInterface {
  name = 'AddMessageOwners1768089600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messaging.outbox ADD COLUMN owner text NULL`);
    await queryRunner.query(`ALTER TABLE messaging.delivery_retries ADD COLUMN owner text NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messaging.delivery_retries DROP COLUMN owner`);
    await queryRunner.query(`ALTER TABLE messaging.outbox DROP COLUMN owner`);
  }
}
