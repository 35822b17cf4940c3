import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C `traceparent` of the event that opened a payment, kept until the worker charges it: the
 * charge and what it publishes (`payments.v1.payment-succeeded`, then the order's `order-paid`
 * and its notification) stay in the order's trace. Null for payments opened before this column,
 * or by an event without one; their charge starts a trace of its own, as before.
 */
export class KeepChargeTraceContext1768366800000 implements MigrationInterface {
  name = 'KeepChargeTraceContext1768366800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE payments.payments ADD COLUMN traceparent text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE payments.payments DROP COLUMN traceparent`);
  }
}
