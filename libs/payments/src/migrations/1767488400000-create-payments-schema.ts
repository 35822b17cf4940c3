import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The payments context's own schema. One payment per order (UNIQUE order_id) is what "exactly one
 * charge per order" rests on, with the provider's idempotency key derived from the same order id.
 * The simulated provider's ledger lives here too, in its own table that nothing else reads: it
 * stands in for an external system's records (see SimulatedPaymentProvider).
 * Released first as CreatePaymentsSchema1767484800000, a timestamp orders' migration also had;
 * PAYMENTS_PERSISTENCE maps the old name so databases that applied it do not run it again.
 */
export class CreatePaymentsSchema1767488400000 implements MigrationInterface {
  name = 'CreatePaymentsSchema1767488400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS payments`);
    await queryRunner.query(`
      CREATE TABLE payments.payments (
        id                 uuid        PRIMARY KEY,
        order_id           uuid        NOT NULL,
        customer_id        uuid        NOT NULL,
        amount             bigint      NOT NULL,
        currency           char(3)     NOT NULL,
        status             text        NOT NULL,
        attempts           integer     NOT NULL DEFAULT 0,
        next_attempt_at    timestamptz NULL,
        cancel_requested   boolean     NOT NULL DEFAULT false,
        provider_charge_id text        NULL,
        provider_refund_id text        NULL,
        failure_code       text        NULL,
        failure_reason     text        NULL,
        last_error         text        NULL,
        correlation_id     text        NOT NULL,
        created_at         timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL,
        charged_at         timestamptz NULL,
        failed_at          timestamptz NULL,
        cancelled_at       timestamptz NULL,
        refunded_at        timestamptz NULL,
        CONSTRAINT payments_order_id_key UNIQUE (order_id),
        CONSTRAINT payments_amount_not_negative CHECK (amount >= 0),
        CONSTRAINT payments_status_known CHECK (
          status IN ('pending', 'succeeded', 'failed', 'cancelled', 'refund_pending', 'refunded')
        ),
        CONSTRAINT payments_due_work_scheduled CHECK (
          (status IN ('pending', 'refund_pending')) = (next_attempt_at IS NOT NULL)
        ),
        CONSTRAINT payments_refund_needs_charge CHECK (
          status NOT IN ('refund_pending', 'refunded') OR provider_charge_id IS NOT NULL
        )
      )`);
    // The workers' poll: due work in due order; a partial index stays as small as the backlog.
    await queryRunner.query(`
      CREATE INDEX payments_due_idx ON payments.payments (next_attempt_at)
       WHERE status IN ('pending', 'refund_pending')`);

    await queryRunner.query(`
      CREATE TABLE payments.cancelled_orders (
        order_id     uuid        PRIMARY KEY,
        customer_id  uuid        NOT NULL,
        cancelled_at timestamptz NOT NULL
      )`);

    await queryRunner.query(`
      CREATE TABLE payments.simulated_provider_charges (
        idempotency_key        text        PRIMARY KEY,
        charge_id              uuid        NOT NULL,
        reference              text        NOT NULL,
        customer_id            uuid        NOT NULL,
        amount                 bigint      NOT NULL,
        currency               char(3)     NOT NULL,
        outcome                text        NOT NULL,
        decline_code           text        NULL,
        created_at             timestamptz NOT NULL DEFAULT clock_timestamp(),
        refund_id              uuid        NULL,
        refund_idempotency_key text        NULL,
        refunded_at            timestamptz NULL,
        CONSTRAINT simulated_provider_charges_charge_id_key UNIQUE (charge_id),
        CONSTRAINT simulated_provider_charges_outcome_known CHECK (outcome IN ('succeeded', 'declined'))
      )`);
    await queryRunner.query(`
      CREATE INDEX simulated_provider_charges_reference_idx
          ON payments.simulated_provider_charges (reference)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS payments.simulated_provider_charges`);
    await queryRunner.query(`DROP TABLE IF EXISTS payments.cancelled_orders`);
    await queryRunner.query(`DROP TABLE IF EXISTS payments.payments`);
    // Not CASCADE: should anything else live in the schema, the rollback stops instead of deleting it.
    await queryRunner.query(`DROP SCHEMA IF EXISTS payments`);
  }
}
