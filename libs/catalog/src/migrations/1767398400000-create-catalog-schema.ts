import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalog context's own schema. Stock can never go below zero (the CHECK backs up the guarded
 * UPDATE of a reservation); full-text search runs on a generated tsvector (name weighs more than
 * description) with a GIN index; listings page by keyset over partial indexes of the products on sale.
 */
export class CreateCatalogSchema1767398400000 implements MigrationInterface {
  name = 'CreateCatalogSchema1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SCHEMA IF NOT EXISTS catalog`);
    await queryRunner.query(`
      CREATE TABLE catalog.products (
        id             uuid         PRIMARY KEY,
        sku            varchar(64)  NOT NULL,
        name           varchar(200) NOT NULL,
        description    text         NOT NULL,
        price_amount   bigint       NOT NULL,
        price_currency char(3)      NOT NULL,
        stock          integer      NOT NULL,
        active         boolean      NOT NULL,
        version        integer      NOT NULL,
        created_at     timestamptz  NOT NULL,
        updated_at     timestamptz  NOT NULL,
        -- The two-argument to_tsvector is immutable, as a generated column requires; queries must
        -- use the same configuration ('english') to match its stems.
        search_vector  tsvector     GENERATED ALWAYS AS (
          setweight(to_tsvector('english'::regconfig, name), 'A') ||
          setweight(to_tsvector('english'::regconfig, description), 'B')
        ) STORED,
        CONSTRAINT products_sku_key UNIQUE (sku),
        CONSTRAINT products_stock_not_negative CHECK (stock >= 0),
        CONSTRAINT products_price_not_negative CHECK (price_amount >= 0),
        CONSTRAINT products_price_currency_iso CHECK (price_currency ~ '^[A-Z]{3}$'),
        CONSTRAINT products_version_positive CHECK (version >= 1)
      )`);
    await queryRunner.query(
      `CREATE INDEX products_search_vector_idx ON catalog.products USING gin (search_vector)`,
    );
    // Keyset pagination: ORDER BY <column>, id with a (<column>, id) > (...) seek, in either
    // direction (a btree scans backwards), over the products on sale only.
    await queryRunner.query(
      `CREATE INDEX products_on_sale_created_at_id_idx ON catalog.products (created_at, id) WHERE active`,
    );
    await queryRunner.query(
      `CREATE INDEX products_on_sale_name_id_idx ON catalog.products (name, id) WHERE active`,
    );
    await queryRunner.query(
      `CREATE INDEX products_on_sale_price_id_idx ON catalog.products (price_amount, id) WHERE active`,
    );

    // One row per order; lines are [{productId, quantity}], empty for an order released before
    // anything was reserved for it (the row then only blocks a late reserve).
    await queryRunner.query(`
      CREATE TABLE catalog.reservations (
        order_id    uuid        PRIMARY KEY,
        lines       jsonb       NOT NULL,
        created_at  timestamptz NOT NULL,
        released_at timestamptz NULL,
        CONSTRAINT reservations_lines_array CHECK (jsonb_typeof(lines) = 'array'),
        CONSTRAINT reservations_empty_only_when_released CHECK (
          jsonb_array_length(lines) > 0 OR released_at IS NOT NULL
        )
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS catalog.reservations`);
    await queryRunner.query(`DROP TABLE IF EXISTS catalog.products`);
    // Not CASCADE: should anything else live in the schema, the rollback stops instead of deleting it.
    await queryRunner.query(`DROP SCHEMA IF EXISTS catalog`);
  }
}
