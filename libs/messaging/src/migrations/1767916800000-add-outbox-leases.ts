import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox rows are claimed with a lease instead of a lock held while they are published
 * (docs/adr/0017-outbox-relay-leases.md). `attempts` now counts claims, so it also grows for a row
 * whose relay died before it could mark it.
 */
export class AddOutboxLeases1767916800000 implements MigrationInterface {
  name = 'AddOutboxLeases1767916800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messaging.outbox ADD COLUMN lease_until timestamptz NULL`);
    // The due index stays as it is: leased rows are few (at most the relays' publish slots), so
    // filtering them out of the due rows costs less than another index to maintain on every claim.
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE messaging.outbox DROP COLUMN IF EXISTS lease_until`);
  }
}
