import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notifications context's own schema. One notification per event and template (the unique
 * key backs the idempotent consumer); customers page through theirs newest first.
 */
export class CreateNotificationsSchema1767571200000 implements MigrationInterface {
  name = 'CreateNotificationsSchema1767571200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS notifications`);
    await queryRunner.query(`
      CREATE TABLE notifications.notifications (
        id          uuid        PRIMARY KEY,
        customer_id uuid        NOT NULL,
        event_id    uuid        NOT NULL,
        template    varchar(64) NOT NULL,
        subject     text        NOT NULL,
        body        text        NOT NULL,
        status      varchar(16) NOT NULL,
        attempts    integer     NOT NULL DEFAULT 0,
        created_at  timestamptz NOT NULL,
        sent_at     timestamptz NULL,
        CONSTRAINT notifications_event_template_key UNIQUE (event_id, template),
        CONSTRAINT notifications_status_known CHECK (status IN ('queued', 'sent', 'failed')),
        CONSTRAINT notifications_attempts_not_negative CHECK (attempts >= 0),
        CONSTRAINT notifications_sent_at_when_sent CHECK ((status = 'sent') = (sent_at IS NOT NULL))
      )`);
    // Serves GET /v1/notifications: WHERE customer_id ORDER BY created_at DESC, id DESC with a seek.
    await queryRunner.query(
      `CREATE INDEX notifications_customer_created_at_id_idx
         ON notifications.notifications (customer_id, created_at DESC, id DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS notifications.notifications`);
    // Not CASCADE: should anything else live in the schema, the rollback stops instead of deleting it.
    await queryRunner.query(`DROP SCHEMA IF EXISTS notifications`);
  }
}
