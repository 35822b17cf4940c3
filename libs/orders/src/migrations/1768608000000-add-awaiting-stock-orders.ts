import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orders accepted while the catalog could not be reached (ADR 0044): status `awaiting_stock`, the
 * items asked for (`requested_items`), no currency or total until the catalog priced them, and
 * when the stock confirmer tries next (`next_confirmation_at`, with how often it tried). Two new
 * cancellation reasons for those the catalog then refuses.
 */
export class AddAwaitingStockOrders1768608000000 implements MigrationInterface {
  name = 'AddAwaitingStockOrders1768608000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE orders.orders
        ADD COLUMN requested_items jsonb NULL,
        ADD COLUMN next_confirmation_at timestamptz NULL,
        ADD COLUMN confirmation_attempts integer NOT NULL DEFAULT 0,
        ALTER COLUMN currency DROP NOT NULL,
        ALTER COLUMN total DROP NOT NULL,
        DROP CONSTRAINT orders_status_known,
        DROP CONSTRAINT orders_cancellation_reason_known`);
    await queryRunner.query(`
      ALTER TABLE orders.orders
        ADD CONSTRAINT orders_status_known CHECK (
          status IN ('awaiting_stock', 'pending_payment', 'paid', 'shipped', 'cancelled')
        ),
        ADD CONSTRAINT orders_cancellation_reason_known CHECK (
          cancellation_reason IN ('payment_failed', 'cancelled_by_customer', 'cancelled_by_admin',
                                  'out_of_stock', 'products_unavailable')
        ),
        ADD CONSTRAINT orders_priced_together CHECK ((currency IS NULL) = (total IS NULL)),
        -- Only an order never priced may lack a price: awaiting, or cancelled while awaiting.
        ADD CONSTRAINT orders_priced_unless_awaiting CHECK (
          currency IS NOT NULL
          OR (status IN ('awaiting_stock', 'cancelled') AND requested_items IS NOT NULL)
        ),
        ADD CONSTRAINT orders_awaiting_not_priced CHECK (
          status <> 'awaiting_stock' OR (currency IS NULL AND next_confirmation_at IS NOT NULL)
        )`);
    // The stock confirmer's claim: due awaiting orders, soonest first. Small: only awaiting rows.
    await queryRunner.query(
      `CREATE INDEX orders_awaiting_stock_due_idx ON orders.orders (next_confirmation_at)
         WHERE status = 'awaiting_stock'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    // Refuses (NOT NULL, CHECK) while unpriced orders exist: they cannot be expressed before this.
    await queryRunner.query(`DROP INDEX IF EXISTS orders.orders_awaiting_stock_due_idx`);
    await queryRunner.query(`
      ALTER TABLE orders.orders
        DROP CONSTRAINT orders_awaiting_not_priced,
        DROP CONSTRAINT orders_priced_unless_awaiting,
        DROP CONSTRAINT orders_priced_together,
        DROP CONSTRAINT orders_cancellation_reason_known,
        DROP CONSTRAINT orders_status_known,
        ALTER COLUMN currency SET NOT NULL,
        ALTER COLUMN total SET NOT NULL,
        DROP COLUMN confirmation_attempts,
        DROP COLUMN next_confirmation_at,
        DROP COLUMN requested_items`);
    await queryRunner.query(`
      ALTER TABLE orders.orders
        ADD CONSTRAINT orders_status_known CHECK (
          status IN ('pending_payment', 'paid', 'shipped', 'cancelled')
        ),
        ADD CONSTRAINT orders_cancellation_reason_known CHECK (
          cancellation_reason IN ('payment_failed', 'cancelled_by_customer', 'cancelled_by_admin')
        )`);
  }
}
