import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The messaging library's own schema: the transactional outbox, the record of processed messages
 * (idempotent consumers) and the dead letters.
 */
export class CreateMessagingSchema1767312000000 implements MigrationInterface {
  name = 'CreateMessagingSchema1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS messaging`);
    await queryRunner.query(`
      CREATE TABLE messaging.outbox (
        id              uuid        PRIMARY KEY,
        position        bigint      GENERATED ALWAYS AS IDENTITY,
        type            text        NOT NULL,
        payload         jsonb       NOT NULL,
        headers         jsonb       NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now(),
        published_at    timestamptz NULL,
        attempts        integer     NOT NULL DEFAULT 0,
        last_error      text        NULL,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT outbox_attempts_not_negative CHECK (attempts >= 0)
      )`);
    // The relay's query: due, unpublished rows in insertion order. Published rows leave the index.
    await queryRunner.query(`
      CREATE INDEX outbox_due_idx ON messaging.outbox (next_attempt_at, position)
       WHERE published_at IS NULL`);

    await queryRunner.query(`
      CREATE TABLE messaging.processed_messages (
        consumer     text        NOT NULL,
        message_id   uuid        NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      )`);

    await queryRunner.query(`
      CREATE TABLE messaging.dead_letters (
        id         uuid        PRIMARY KEY,
        consumer   text        NOT NULL,
        type       text        NOT NULL,
        message_id text        NULL,
        envelope   jsonb       NULL,
        reason     text        NOT NULL,
        error      jsonb       NOT NULL,
        attempts   integer     NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX dead_letters_consumer_created_at_idx ON messaging.dead_letters (consumer, created_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS messaging.dead_letters`);
    await queryRunner.query(`DROP TABLE IF EXISTS messaging.processed_messages`);
    await queryRunner.query(`DROP TABLE IF EXISTS messaging.outbox`);
  }
}
