import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A `failed` or `cancelled` payment whose charge was given up without an answer keeps a
 * `next_attempt_at`: the worker looks the charge up at the provider and refunds it if it was taken
 * (docs/adr/0026). The CHECK and the workers' partial index follow: due work is any row with a
 * next attempt. Payments given up before this change are scheduled for that lookup too; the ones
 * whose provider took nothing simply close again.
 */
export class ScheduleChargeReconciliation1768176000000 implements MigrationInterface {
  name = 'ScheduleChargeReconciliation1768176000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE payments.payments DROP CONSTRAINT payments_due_work_scheduled`,
    );
    await queryRunner.query(`
      ALTER TABLE payments.payments ADD CONSTRAINT payments_due_work_scheduled CHECK (
        (status IN ('pending', 'refund_pending') AND next_attempt_at IS NOT NULL)
        OR (status IN ('succeeded', 'refunded') AND next_attempt_at IS NULL)
        OR status IN ('failed', 'cancelled')
      )`);
    await queryRunner.query(`DROP INDEX payments.payments_due_idx`);
    await queryRunner.query(`
      CREATE INDEX payments_due_idx ON payments.payments (next_attempt_at)
       WHERE next_attempt_at IS NOT NULL`);
    // Given up without an answer before reconciliation existed: failed for want of an answer, or
    // cancelled while a charge attempt was out (a cancellation before any attempt is never asked).
    await queryRunner.query(`
      UPDATE payments.payments
         SET next_attempt_at = clock_timestamp(), attempts = 0
       WHERE provider_charge_id IS NULL
         AND ((status = 'failed' AND failure_code = 'PAYMENTS.PROVIDER_UNAVAILABLE')
              OR (status = 'cancelled' AND cancel_requested))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE payments.payments SET next_attempt_at = NULL
       WHERE status IN ('failed', 'cancelled')`);
    await queryRunner.query(`DROP INDEX payments.payments_due_idx`);
    await queryRunner.query(`
      CREATE INDEX payments_due_idx ON payments.payments (next_attempt_at)
       WHERE status IN ('pending', 'refund_pending')`);
    await queryRunner.query(
      `ALTER TABLE payments.payments DROP CONSTRAINT payments_due_work_scheduled`,
    );
    await queryRunner.query(`
      ALTER TABLE payments.payments ADD CONSTRAINT payments_due_work_scheduled CHECK (
        (status IN ('pending', 'refund_pending')) = (next_attempt_at IS NOT NULL)
      )`);
  }
}
