import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Event deliveries waiting for their next attempt (docs/adr/0016-durable-delivery-retries.md). */
export class CreateDeliveryRetries1768003200000 implements MigrationInterface {
  name = 'CreateDeliveryRetries1768003200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE messaging.delivery_retries (
        id              uuid        PRIMARY KEY,
        consumer        text        NOT NULL,
        type            text        NOT NULL,
        envelope        jsonb       NULL,
        attempts        integer     NOT NULL,
        last_error      text        NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        leased_until    timestamptz NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT delivery_retries_attempts_not_negative CHECK (attempts >= 0)
      )`);
    await queryRunner.query(
      `CREATE INDEX delivery_retries_due_idx ON messaging.delivery_retries (consumer, next_attempt_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS messaging.delivery_retries`);
  }
}
