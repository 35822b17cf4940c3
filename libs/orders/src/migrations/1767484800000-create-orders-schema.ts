import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The orders context's own schema: orders with their snapshotted lines, and the idempotency keys
 * of `POST /v1/orders`. Product and customer ids point into other contexts' schemas, so they carry
 * no foreign keys (contexts never join across schemas).
 */
export class CreateOrdersSchema1767484800000 implements MigrationInterface {
  name = 'CreateOrdersSchema1767484800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS orders`);
    await queryRunner.query(`
      CREATE TABLE orders.orders (
        id                  uuid        PRIMARY KEY,
        customer_id         uuid        NOT NULL,
        status              varchar(32) NOT NULL,
        currency            char(3)     NOT NULL,
        total               bigint      NOT NULL,
        payment_id          uuid        NULL,
        cancellation_reason varchar(32) NULL,
        version             integer     NOT NULL,
        created_at          timestamptz NOT NULL,
        updated_at          timestamptz NOT NULL,
        CONSTRAINT orders_status_known CHECK (
          status IN ('pending_payment', 'paid', 'shipped', 'cancelled')
        ),
        CONSTRAINT orders_cancellation_reason_known CHECK (
          cancellation_reason IN ('payment_failed', 'cancelled_by_customer', 'cancelled_by_admin')
        ),
        CONSTRAINT orders_cancellation_reason_iff_cancelled CHECK (
          (status = 'cancelled') = (cancellation_reason IS NOT NULL)
        ),
        CONSTRAINT orders_paid_has_payment CHECK (
          status NOT IN ('paid', 'shipped') OR payment_id IS NOT NULL
        ),
        CONSTRAINT orders_total_not_negative CHECK (total >= 0),
        CONSTRAINT orders_version_positive CHECK (version >= 1)
      )`);
    // A customer's listing: WHERE customer_id = $1 ORDER BY created_at DESC, id DESC with a seek.
    await queryRunner.query(
      `CREATE INDEX orders_customer_id_created_at_id_idx ON orders.orders (customer_id, created_at DESC, id DESC)`,
    );
    // The admin listing of every order, same order.
    await queryRunner.query(
      `CREATE INDEX orders_created_at_id_idx ON orders.orders (created_at DESC, id DESC)`,
    );

    await queryRunner.query(`
      CREATE TABLE orders.order_lines (
        order_id   uuid         NOT NULL REFERENCES orders.orders (id) ON DELETE CASCADE,
        position   integer      NOT NULL,
        product_id uuid         NOT NULL,
        sku        varchar(64)  NOT NULL,
        name       varchar(200) NOT NULL,
        unit_price bigint       NOT NULL,
        quantity   integer      NOT NULL,
        PRIMARY KEY (order_id, position),
        CONSTRAINT order_lines_one_line_per_product UNIQUE (order_id, product_id),
        CONSTRAINT order_lines_quantity_positive CHECK (quantity > 0),
        CONSTRAINT order_lines_unit_price_not_negative CHECK (unit_price >= 0)
      )`);

    await queryRunner.query(`
      CREATE TABLE orders.idempotency_keys (
        customer_id     uuid         NOT NULL,
        key             varchar(255) NOT NULL,
        request_hash    char(64)     NOT NULL,
        order_id        uuid         NOT NULL,
        response_status integer      NULL,
        response_body   json         NULL,
        completed_at    timestamptz  NULL,
        created_at      timestamptz  NOT NULL,
        expires_at      timestamptz  NOT NULL,
        CONSTRAINT idempotency_keys_pkey PRIMARY KEY (customer_id, key),
        CONSTRAINT idempotency_keys_response_iff_completed CHECK (
          (completed_at IS NULL) = (response_status IS NULL)
          AND (completed_at IS NULL) = (response_body IS NULL)
        ),
        CONSTRAINT idempotency_keys_expiry_after_creation CHECK (expires_at > created_at)
      )`);
    // The sweeper's two queries: unfinished claims by age, completed keys by expiry.
    await queryRunner.query(
      `CREATE INDEX idempotency_keys_unfinished_idx ON orders.idempotency_keys (created_at) WHERE completed_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX idempotency_keys_expires_at_idx ON orders.idempotency_keys (expires_at) WHERE completed_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS orders.idempotency_keys`);
    await queryRunner.query(`DROP TABLE IF EXISTS orders.order_lines`);
    await queryRunner.query(`DROP TABLE IF EXISTS orders.orders`);
    // Not CASCADE: should anything else live in the schema, the rollback stops instead of deleting it.
    await queryRunner.query(`DROP SCHEMA IF EXISTS orders`);
  }
}
