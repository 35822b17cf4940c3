import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A fence on unfinished idempotency claims: a takeover (or the sweeper) sets `fenced_at` before it
 * releases the claim's stock, and the completion that saves the order refuses a fenced claim, so a
 * slow request can no longer save an order whose stock was given back.
 */
export class AddIdempotencyClaimFences1768262400000 implements MigrationInterface {
  name = 'AddIdempotencyClaimFences1768262400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE orders.idempotency_keys ADD COLUMN IF NOT EXISTS fenced_at timestamptz NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE orders.idempotency_keys DROP COLUMN IF EXISTS fenced_at`);
  }
}
